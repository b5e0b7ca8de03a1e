package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * Also run the slow generative evaluation, to measure the probe's real error on this checkpoint
 * (the drift check). Absent means probe only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValidationRun {

  @Min(1)
  @Max(64)
  @JsonPropertyDescription("Samples per prompt; actual pass@1 is the mean pass rate; default 4")
  private Integer samples;

  @Min(1)
  @Max(32768)
  @JsonPropertyDescription("Most tokens generated per sample; default 512")
  private Integer maxNewTokens;

  @Min(0)
  @Max(5)
  @JsonPropertyDescription("Sampling temperature (0 = greedy); default 0.6")
  private Double temperature;

  public ValidationRun() {}

  public ValidationRun(Integer samples, Integer maxNewTokens, Double temperature) {
    this.samples = samples;
    this.maxNewTokens = maxNewTokens;
    this.temperature = temperature;
  }

  public Integer getSamples() { return samples; }
  public void setSamples(Integer samples) { this.samples = samples; }
  public Integer getMaxNewTokens() { return maxNewTokens; }
  public void setMaxNewTokens(Integer maxNewTokens) { this.maxNewTokens = maxNewTokens; }
  public Double getTemperature() { return temperature; }
  public void setTemperature(Double temperature) { this.temperature = temperature; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValidationRun v && Objects.equals(samples, v.samples)
        && Objects.equals(maxNewTokens, v.maxNewTokens) && Objects.equals(temperature, v.temperature);
  }

  @Override
  public int hashCode() { return Objects.hash(samples, maxNewTokens, temperature); }
}
