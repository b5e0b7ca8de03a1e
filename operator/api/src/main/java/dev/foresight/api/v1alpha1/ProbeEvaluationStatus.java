package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Observed state, written only by the operator. Times are RFC 3339 strings, as Kubernetes writes them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbeEvaluationStatus {
  private Phase phase;
  private Long observedGeneration;
  private List<Condition> conditions = new ArrayList<>();
  private String jobName;
  /**
   * The bundle the worker was given, fixed when its Job was made: the resolved
   * {@code probe.trainingRef}, whose training may be re-created later with another bundle.
   */
  private String probeUri;
  /** The bundle's fingerprint as its ProbeTraining reported it (only with {@code probe.trainingRef}). */
  private String probeFingerprint;
  private String startTime;
  private String completionTime;
  private CheckpointSummary checkpoint;
  private List<TaskResult> results;
  private Latency latency;
  private String message;

  public Phase getPhase() { return phase; }
  public void setPhase(Phase phase) { this.phase = phase; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getJobName() { return jobName; }
  public void setJobName(String jobName) { this.jobName = jobName; }
  public String getProbeUri() { return probeUri; }
  public void setProbeUri(String probeUri) { this.probeUri = probeUri; }
  public String getProbeFingerprint() { return probeFingerprint; }
  public void setProbeFingerprint(String probeFingerprint) { this.probeFingerprint = probeFingerprint; }
  public String getStartTime() { return startTime; }
  public void setStartTime(String startTime) { this.startTime = startTime; }
  public String getCompletionTime() { return completionTime; }
  public void setCompletionTime(String completionTime) { this.completionTime = completionTime; }
  public CheckpointSummary getCheckpoint() { return checkpoint; }
  public void setCheckpoint(CheckpointSummary checkpoint) { this.checkpoint = checkpoint; }
  public List<TaskResult> getResults() { return results; }
  public void setResults(List<TaskResult> results) { this.results = results; }
  public Latency getLatency() { return latency; }
  public void setLatency(Latency latency) { this.latency = latency; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
