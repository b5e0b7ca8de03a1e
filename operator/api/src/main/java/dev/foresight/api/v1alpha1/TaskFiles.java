package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/** The JSONL task sets the probe is trained on (as the CLI's --task-files reads them). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskFiles {
  @Required
  @Pattern(StorageLocation.PATTERN)
  @JsonPropertyDescription("A task file (<task>.jsonl) or a folder of them: pvc://claim/path, s3://bucket/prefix or file:///path")
  private String uri;

  @Size(min = 1, max = 64)
  @JsonPropertyDescription("Tasks to train on; default every task file found")
  private List<@Pattern(ProbeEvaluationSpec.TASK_NAME_PATTERN) String> names;

  public TaskFiles() {}

  public TaskFiles(String uri) { this.uri = uri; }

  public String getUri() { return uri; }
  public void setUri(String uri) { this.uri = uri; }
  public List<String> getNames() { return names; }
  public void setNames(List<String> names) { this.names = names; }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskFiles t && Objects.equals(uri, t.uri) && Objects.equals(names, t.names);
  }

  @Override
  public int hashCode() { return Objects.hash(uri, names); }
}
