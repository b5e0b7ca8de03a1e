package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** What the worker found at the checkpoint URI. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointSummary {
  private String fingerprint;
  private String architecture;
  private Long parameters;

  public CheckpointSummary() {}

  public CheckpointSummary(String fingerprint, String architecture, Long parameters) {
    this.fingerprint = fingerprint;
    this.architecture = architecture;
    this.parameters = parameters;
  }

  public String getFingerprint() { return fingerprint; }
  public void setFingerprint(String fingerprint) { this.fingerprint = fingerprint; }
  public String getArchitecture() { return architecture; }
  public void setArchitecture(String architecture) { this.architecture = architecture; }
  public Long getParameters() { return parameters; }
  public void setParameters(Long parameters) { this.parameters = parameters; }

  @Override
  public boolean equals(Object o) {
    return o instanceof CheckpointSummary c && Objects.equals(fingerprint, c.fingerprint)
        && Objects.equals(architecture, c.architecture) && Objects.equals(parameters, c.parameters);
  }

  @Override
  public int hashCode() { return Objects.hash(fingerprint, architecture, parameters); }
}
