package dev.foresight.worker.labels;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One prompt's generative outcome on one checkpoint: each sample's output (cut at the stop
 * string) and whether it passed the task's check.
 */
@JsonIgnoreProperties(value = "passRate", allowGetters = true)
@JsonPropertyOrder({"task", "id", "passed", "samples", "passRate", "outcomes", "outputs"})
public record PromptLabel(String task, String id, int passed, int samples, List<Boolean> outcomes, List<String> outputs) {

  public PromptLabel {
    outcomes = List.copyOf(outcomes);
    outputs = List.copyOf(outputs);
    if (outcomes.size() != samples || outputs.size() != samples) {
      throw new IllegalArgumentException(task + "/" + id + ": " + samples + " samples but " + outcomes.size()
          + " outcomes and " + outputs.size() + " outputs");
    }
    if (passed != outcomes.stream().filter(Boolean::booleanValue).count()) {
      throw new IllegalArgumentException(task + "/" + id + ": passed " + passed + " does not count the outcomes " + outcomes);
    }
  }

  public static PromptLabel of(String task, String id, List<Boolean> outcomes, List<String> outputs) {
    return new PromptLabel(task, id, (int) outcomes.stream().filter(Boolean::booleanValue).count(), outcomes.size(),
        outcomes, outputs);
  }

  /** The soft label: the share of samples that passed (written to the file for people and tools). */
  @JsonProperty("passRate")
  public double passRate() { return (double) passed / samples; }
}
