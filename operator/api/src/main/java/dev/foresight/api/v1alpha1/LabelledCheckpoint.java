package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** One checkpoint a ProbeTraining labels. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LabelledCheckpoint {
  @Required
  @Pattern(StorageLocation.PATTERN)
  @JsonPropertyDescription("Checkpoint directory in Hugging Face layout: pvc://claim/path, s3://bucket/prefix or file:///path")
  private String uri;

  @Required
  @Min(0)
  @JsonPropertyDescription("Training step of this checkpoint")
  private Long step;

  public LabelledCheckpoint() {}

  public LabelledCheckpoint(String uri, Long step) {
    this.uri = uri;
    this.step = step;
  }

  public String getUri() { return uri; }
  public void setUri(String uri) { this.uri = uri; }
  public Long getStep() { return step; }
  public void setStep(Long step) { this.step = step; }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelledCheckpoint c && Objects.equals(uri, c.uri) && Objects.equals(step, c.step);
  }

  @Override
  public int hashCode() { return Objects.hash(uri, step); }
}
