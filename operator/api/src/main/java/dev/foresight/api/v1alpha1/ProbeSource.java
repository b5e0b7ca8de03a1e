package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * Where the probe bundle lives (probe.json, weights.safetensors, tasks/): a storage URI, or the
 * bundle a ProbeTraining in the same namespace writes (evaluations wait until it has succeeded).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.uri) != has(self.trainingRef)", message = "set exactly one of probe.uri and probe.trainingRef")
public class ProbeSource {

  @Pattern(StorageLocation.PATTERN)
  @JsonPropertyDescription("Probe bundle directory: pvc://claim/path, s3://bucket/prefix or file:///path")
  private String uri;

  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  @JsonPropertyDescription("A ProbeTraining in this namespace whose bundle to use, once it has succeeded")
  private String trainingRef;

  @JsonPropertyDescription("Secret with S3 credentials for the bundle; defaults to the checkpoint's")
  private String credentialsSecret;

  public ProbeSource() {}

  public ProbeSource(String uri) { this.uri = uri; }

  public static ProbeSource training(String name) {
    ProbeSource p = new ProbeSource();
    p.trainingRef = name;
    return p;
  }

  public String getUri() { return uri; }
  public void setUri(String uri) { this.uri = uri; }
  public String getTrainingRef() { return trainingRef; }
  public void setTrainingRef(String trainingRef) { this.trainingRef = trainingRef; }
  public String getCredentialsSecret() { return credentialsSecret; }
  public void setCredentialsSecret(String credentialsSecret) { this.credentialsSecret = credentialsSecret; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProbeSource p && Objects.equals(uri, p.uri) && Objects.equals(trainingRef, p.trainingRef)
        && Objects.equals(credentialsSecret, p.credentialsSecret);
  }

  @Override
  public int hashCode() { return Objects.hash(uri, trainingRef, credentialsSecret); }
}
