package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A checkpoint folder the scan saw but that is not ready, and why (e.g. "no .ready marker yet"). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingCheckpoint {
  /** The folder's name under the prefix. */
  private String path;
  /** Null when the folder's name gives no step. */
  private Long step;
  private String why;

  public PendingCheckpoint() {}

  public PendingCheckpoint(String path, Long step, String why) {
    this.path = path;
    this.step = step;
    this.why = why;
  }

  public String getPath() { return path; }
  public void setPath(String path) { this.path = path; }
  public Long getStep() { return step; }
  public void setStep(Long step) { this.step = step; }
  public String getWhy() { return why; }
  public void setWhy(String why) { this.why = why; }
}
