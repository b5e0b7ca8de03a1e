package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** Where the checkpoint lives and which training run and step it belongs to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointSource {
  /** Training-run labels, here and in a ProbeMonitor: they become metric label values. */
  public static final String RUN_PATTERN = "^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

  @Required
  @Pattern(StorageLocation.PATTERN)
  @JsonPropertyDescription("Checkpoint directory in Hugging Face layout: pvc://claim/path, s3://bucket/prefix or file:///path")
  private String uri;

  @Required
  @Pattern(RUN_PATTERN)
  @JsonPropertyDescription("Training-run label; metrics are per run and task, not per resource")
  private String run;

  @Required
  @Min(0)
  @JsonPropertyDescription("Training step of this checkpoint")
  private Long step;

  @JsonPropertyDescription("Secret with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optionally AWS_ENDPOINT_URL, AWS_REGION (s3:// only)")
  private String credentialsSecret;

  public CheckpointSource() {}

  public CheckpointSource(String uri, String run, Long step) {
    this.uri = uri;
    this.run = run;
    this.step = step;
  }

  public String getUri() { return uri; }
  public void setUri(String uri) { this.uri = uri; }
  public String getRun() { return run; }
  public void setRun(String run) { this.run = run; }
  public Long getStep() { return step; }
  public void setStep(Long step) { this.step = step; }
  public String getCredentialsSecret() { return credentialsSecret; }
  public void setCredentialsSecret(String credentialsSecret) { this.credentialsSecret = credentialsSecret; }

  @Override
  public boolean equals(Object o) {
    return o instanceof CheckpointSource c && Objects.equals(uri, c.uri) && Objects.equals(run, c.run)
        && Objects.equals(step, c.step) && Objects.equals(credentialsSecret, c.credentialsSecret);
  }

  @Override
  public int hashCode() { return Objects.hash(uri, run, step, credentialsSecret); }
}
