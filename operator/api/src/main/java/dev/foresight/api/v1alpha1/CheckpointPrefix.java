package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** Where a training run writes its checkpoints, one folder each, and how to read a folder's step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointPrefix {
  /**
   * The default step pattern: the whole folder name is {@code step}, {@code checkpoint} or
   * {@code global_step}, an optional {@code -} or {@code _}, and the step's digits (Hugging Face
   * Trainer, OLMo-core, DeepSpeed names). No other prefix is allowed: a trainer's staging folder
   * such as Hugging Face Trainer's {@code tmp-checkpoint-500} would otherwise give the same step as
   * the {@code checkpoint-500} it becomes, and the scan would refuse the pair as ambiguous.
   */
  public static final String DEFAULT_STEP_PATTERN = "^(?:global_step|step|checkpoint)[-_]?([0-9]+)$";

  @Required
  @Pattern(StorageLocation.PATTERN)
  @JsonPropertyDescription("Folder holding one sub-folder per checkpoint: pvc://claim/path, s3://bucket/prefix or file:///path")
  private String uri;

  @JsonPropertyDescription("Secret with S3 credentials (s3:// only); the operator never reads it, the scan pod does")
  private String credentialsSecret;

  @Size(min = 1, max = 256)
  @JsonPropertyDescription("Regular expression over a folder name whose first group is the step; default matches"
      + " step-N, stepN, step_N, checkpoint-N and global_stepN")
  private String stepPattern;

  private Readiness ready;

  public CheckpointPrefix() {}

  public CheckpointPrefix(String uri) { this.uri = uri; }

  public String getUri() { return uri; }
  public void setUri(String uri) { this.uri = uri; }
  public String getCredentialsSecret() { return credentialsSecret; }
  public void setCredentialsSecret(String credentialsSecret) { this.credentialsSecret = credentialsSecret; }
  public String getStepPattern() { return stepPattern; }
  public void setStepPattern(String stepPattern) { this.stepPattern = stepPattern; }
  public Readiness getReady() { return ready; }
  public void setReady(Readiness ready) { this.ready = ready; }

  @Override
  public boolean equals(Object o) {
    return o instanceof CheckpointPrefix c && Objects.equals(uri, c.uri)
        && Objects.equals(credentialsSecret, c.credentialsSecret) && Objects.equals(stepPattern, c.stepPattern)
        && Objects.equals(ready, c.ready);
  }

  @Override
  public int hashCode() { return Objects.hash(uri, credentialsSecret, stepPattern, ready); }
}
