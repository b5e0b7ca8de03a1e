package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * Labels from the validation runs of the ProbeMonitor named by {@code checkpoints.monitor}: the
 * monitor keeps each validated evaluation's per-prompt output at
 * {@code <validation.output>/step-<step>.json}, and each such step's passed-of-samples per prompt
 * become that checkpoint's labels, with no generation again. Only the validated steps (every k-th
 * evaluation) are labelled.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValidationLabels {
  @Min(0)
  @Max(1)
  @JsonPropertyDescription("Share of each task's prompts a validation output must hold an outcome for; default the"
      + " lm-eval import's (0.9)")
  private Double minCoverage;

  public ValidationLabels() {}

  public ValidationLabels(Double minCoverage) {
    this.minCoverage = minCoverage;
  }

  public Double getMinCoverage() { return minCoverage; }
  public void setMinCoverage(Double minCoverage) { this.minCoverage = minCoverage; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValidationLabels v && Objects.equals(minCoverage, v.minCoverage);
  }

  @Override
  public int hashCode() { return Objects.hash(minCoverage); }
}
