package dev.foresight.api.scan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A ready checkpoint folder as a scan reports it: its step, its folder name under the prefix (the
 * checkpoint's URI is the prefix plus this) and, optionally, a short fingerprint that changes when
 * the folder is rewritten (e.g. the marker's or index's ETag or modification time).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"step", "path", "fingerprint"})
public class ReadyCheckpoint {
  private Long step;
  private String path;
  private String fingerprint;

  public ReadyCheckpoint() {}

  public ReadyCheckpoint(Long step, String path, String fingerprint) {
    this.step = step;
    this.path = path;
    this.fingerprint = fingerprint;
  }

  public Long getStep() { return step; }
  public void setStep(Long step) { this.step = step; }
  public String getPath() { return path; }
  public void setPath(String path) { this.path = path; }
  public String getFingerprint() { return fingerprint; }
  public void setFingerprint(String fingerprint) { this.fingerprint = fingerprint; }
}
