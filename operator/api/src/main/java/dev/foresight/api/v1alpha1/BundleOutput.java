package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * Where the trained bundle goes. The stages' intermediate files (label shards, features, every
 * family's bundle) go beside it, in {@code <uri>.work/<spec hash>/}, which is what lets a restart
 * redo only what is missing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BundleOutput {
  @Required
  @Pattern(StorageLocation.PATTERN)
  @JsonPropertyDescription("Bundle directory to write: pvc://claim/path, s3://bucket/prefix or file:///path")
  private String uri;

  @JsonPropertyDescription("Replace a different bundle already at uri (otherwise the training is refused); default false")
  private Boolean overwrite;

  public BundleOutput() {}

  public BundleOutput(String uri) { this.uri = uri; }

  public String getUri() { return uri; }
  public void setUri(String uri) { this.uri = uri; }
  public Boolean getOverwrite() { return overwrite; }
  public void setOverwrite(Boolean overwrite) { this.overwrite = overwrite; }

  public boolean overwrites() { return Boolean.TRUE.equals(overwrite); }

  @Override
  public boolean equals(Object o) {
    return o instanceof BundleOutput b && Objects.equals(uri, b.uri) && Objects.equals(overwrite, b.overwrite);
  }

  @Override
  public int hashCode() { return Objects.hash(uri, overwrite); }
}
