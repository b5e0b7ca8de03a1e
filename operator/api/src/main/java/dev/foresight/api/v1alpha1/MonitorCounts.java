package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A monitor's checkpoints by where they stand. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitorCounts {
  /** Ready, chosen, not yet given an evaluation (waiting for the scan's next page or the cap). */
  private Integer pending = 0;
  /** Evaluations created and not finished (Queued, Pending, Running). */
  private Integer running = 0;
  private Integer succeeded = 0;
  private Integer failed = 0;

  public Integer getPending() { return pending; }
  public void setPending(Integer pending) { this.pending = pending; }
  public Integer getRunning() { return running; }
  public void setRunning(Integer running) { this.running = running; }
  public Integer getSucceeded() { return succeeded; }
  public void setSucceeded(Integer succeeded) { this.succeeded = succeeded; }
  public Integer getFailed() { return failed; }
  public void setFailed(Integer failed) { this.failed = failed; }
}
