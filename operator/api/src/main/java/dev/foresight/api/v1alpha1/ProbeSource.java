package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Where the probe bundle lives (probe.json, weights.safetensors, tasks/). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbeSource {

  @Required
  @Pattern(StorageLocation.PATTERN)
  @JsonPropertyDescription("Probe bundle directory: pvc://claim/path, s3://bucket/prefix or file:///path")
  private String uri;

  @JsonPropertyDescription("Secret with S3 credentials for the bundle; defaults to the checkpoint's")
  private String credentialsSecret;

  public ProbeSource() {}

  public ProbeSource(String uri) { this.uri = uri; }

  public String getUri() { return uri; }
  public void setUri(String uri) { this.uri = uri; }
  public String getCredentialsSecret() { return credentialsSecret; }
  public void setCredentialsSecret(String credentialsSecret) { this.credentialsSecret = credentialsSecret; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProbeSource p && Objects.equals(uri, p.uri)
        && Objects.equals(credentialsSecret, p.credentialsSecret);
  }

  @Override
  public int hashCode() { return Objects.hash(uri, credentialsSecret); }
}
