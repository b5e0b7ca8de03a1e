package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Observed state, written only by the operator. Conditions: Accepted (the spec and the checkpoints
 * passed the checks), Complete, Failed (reason and message say which stage, checkpoint and shard).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbeTrainingStatus {
  private Long observedGeneration;
  private Phase phase;
  private TrainingStage stage;
  private List<Condition> conditions = new ArrayList<>();
  /** The stage Job now running (or last run). */
  private String jobName;
  /** Where the stages write their intermediate files: {@code <output.uri>.work/<spec hash>}. */
  private String workDir;
  private TrainingProgress progress;
  /** Per family, in spec order. */
  private List<FamilyMetrics> families = new ArrayList<>();
  private String chosenFamily;
  private Double bestHeldOutAuroc;
  private TrainedBundle bundle;
  /** Architecture of the labelled checkpoints (all alike, checked). */
  private String architecture;
  private String startTime;
  /** When the current stage began (its duration metric is measured from here). */
  private String stageStartTime;
  private String completionTime;
  private String message;

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public Phase getPhase() { return phase; }
  public void setPhase(Phase phase) { this.phase = phase; }
  public TrainingStage getStage() { return stage; }
  public void setStage(TrainingStage stage) { this.stage = stage; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getJobName() { return jobName; }
  public void setJobName(String jobName) { this.jobName = jobName; }
  public String getWorkDir() { return workDir; }
  public void setWorkDir(String workDir) { this.workDir = workDir; }
  public TrainingProgress getProgress() { return progress; }
  public void setProgress(TrainingProgress progress) { this.progress = progress; }
  public List<FamilyMetrics> getFamilies() { return families; }
  public void setFamilies(List<FamilyMetrics> families) { this.families = families; }
  public String getChosenFamily() { return chosenFamily; }
  public void setChosenFamily(String chosenFamily) { this.chosenFamily = chosenFamily; }
  public Double getBestHeldOutAuroc() { return bestHeldOutAuroc; }
  public void setBestHeldOutAuroc(Double bestHeldOutAuroc) { this.bestHeldOutAuroc = bestHeldOutAuroc; }
  public TrainedBundle getBundle() { return bundle; }
  public void setBundle(TrainedBundle bundle) { this.bundle = bundle; }
  public String getArchitecture() { return architecture; }
  public void setArchitecture(String architecture) { this.architecture = architecture; }
  public String getStartTime() { return startTime; }
  public void setStartTime(String startTime) { this.startTime = startTime; }
  public String getStageStartTime() { return stageStartTime; }
  public void setStageStartTime(String stageStartTime) { this.stageStartTime = stageStartTime; }
  public String getCompletionTime() { return completionTime; }
  public void setCompletionTime(String completionTime) { this.completionTime = completionTime; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
