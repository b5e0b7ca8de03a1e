package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The bundle a succeeded ProbeTraining wrote: what {@code probe.trainingRef} resolves to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainedBundle {
  private String uri;
  /** sha256 over the bundle's files, as {@code foresight} prints it. */
  private String fingerprint;
  private String family;

  public TrainedBundle() {}

  public TrainedBundle(String uri, String fingerprint, String family) {
    this.uri = uri;
    this.fingerprint = fingerprint;
    this.family = family;
  }

  public String getUri() { return uri; }
  public void setUri(String uri) { this.uri = uri; }
  public String getFingerprint() { return fingerprint; }
  public void setFingerprint(String fingerprint) { this.fingerprint = fingerprint; }
  public String getFamily() { return family; }
  public void setFamily(String family) { this.family = family; }
}
