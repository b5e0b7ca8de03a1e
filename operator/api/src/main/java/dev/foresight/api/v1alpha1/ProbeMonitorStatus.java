package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Observed state, written only by the operator; bounded in size (trend, drift and pending lists
 * have fixed caps) so that a long run never outgrows etcd's object limit. Conditions: Ready (the
 * last scan worked and the monitor is not suspended), Stalled (no new ready checkpoint within
 * spec.stalledAfterSeconds), ScanFailed (with the scan's own message).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbeMonitorStatus {
  /** Most not-ready folders listed in status. */
  public static final int MAX_PENDING = 10;

  private Long observedGeneration;
  private List<Condition> conditions = new ArrayList<>();
  /** The highest step of a ready checkpoint seen so far. */
  private Long lastSeenStep;
  /** The highest step given an evaluation so far. */
  private Long lastEvaluatedStep;
  /** Ready steps below lastSeenStep not yet looked at (backfill), when the scan paged. */
  private Long backfillBelow;
  private String lastScanTime;
  /** When a checkpoint not seen before was last found ready (Stalled counts from here). */
  private String lastNewCheckpointTime;
  private String scanJobName;
  private MonitorCounts counts;
  /** Mean predicted pass@1 over the tasks of the newest succeeded evaluation. */
  private Double latestMeanPassAt1;
  private List<TrendPoint> trend = new ArrayList<>();
  private List<Drift> drift = new ArrayList<>();
  private List<PendingCheckpoint> notReady = new ArrayList<>();
  private String message;

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public Long getLastSeenStep() { return lastSeenStep; }
  public void setLastSeenStep(Long lastSeenStep) { this.lastSeenStep = lastSeenStep; }
  public Long getLastEvaluatedStep() { return lastEvaluatedStep; }
  public void setLastEvaluatedStep(Long lastEvaluatedStep) { this.lastEvaluatedStep = lastEvaluatedStep; }
  public Long getBackfillBelow() { return backfillBelow; }
  public void setBackfillBelow(Long backfillBelow) { this.backfillBelow = backfillBelow; }
  public String getLastScanTime() { return lastScanTime; }
  public void setLastScanTime(String lastScanTime) { this.lastScanTime = lastScanTime; }
  public String getLastNewCheckpointTime() { return lastNewCheckpointTime; }
  public void setLastNewCheckpointTime(String lastNewCheckpointTime) { this.lastNewCheckpointTime = lastNewCheckpointTime; }
  public String getScanJobName() { return scanJobName; }
  public void setScanJobName(String scanJobName) { this.scanJobName = scanJobName; }
  public MonitorCounts getCounts() { return counts; }
  public void setCounts(MonitorCounts counts) { this.counts = counts; }
  public Double getLatestMeanPassAt1() { return latestMeanPassAt1; }
  public void setLatestMeanPassAt1(Double latestMeanPassAt1) { this.latestMeanPassAt1 = latestMeanPassAt1; }
  public List<TrendPoint> getTrend() { return trend; }
  public void setTrend(List<TrendPoint> trend) { this.trend = trend; }
  public List<Drift> getDrift() { return drift; }
  public void setDrift(List<Drift> drift) { this.drift = drift; }
  public List<PendingCheckpoint> getNotReady() { return notReady; }
  public void setNotReady(List<PendingCheckpoint> notReady) { this.notReady = notReady; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
