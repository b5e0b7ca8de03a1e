package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * The generative check on every k-th evaluation of a monitor, so that the probe's drift is
 * measured along the run; the sampling settings are a ProbeEvaluation's {@code validation}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PeriodicValidation extends ValidationRun {
  @Required
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Validate every k-th evaluation the monitor creates (1 = every one)")
  private Integer every;

  @Pattern(StorageLocation.PATTERN)
  @JsonPropertyDescription("Keep each validated evaluation's per-prompt output at <output>/step-<step>.json (a"
      + " ProbeTraining's labels.monitorValidation reads them); default: not kept")
  private String output;

  public Integer getEvery() { return every; }
  public void setEvery(Integer every) { this.every = every; }
  public String getOutput() { return output; }
  public void setOutput(String output) { this.output = output; }

  /** {@code <output>/step-<step>.json}: where the validated evaluation of {@code step} keeps its per-prompt output. */
  public static String outputOf(String prefix, long step) {
    return (prefix.endsWith("/") ? prefix : prefix + "/") + "step-" + step + ".json";
  }

  /** The settings a ProbeEvaluation's spec.validation takes. */
  public ValidationRun run() {
    return new ValidationRun(getSamples(), getMaxNewTokens(), getTemperature());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeriodicValidation v && super.equals(o) && Objects.equals(every, v.every)
        && Objects.equals(output, v.output);
  }

  @Override
  public int hashCode() { return Objects.hash(super.hashCode(), every, output); }
}
