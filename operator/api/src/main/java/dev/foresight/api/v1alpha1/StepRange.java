package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Steps to evaluate, both ends included; either end may be open. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.from) || !has(self.to) || self.from <= self.to", message = "steps.from must not exceed steps.to")
public class StepRange {
  @Min(0)
  @JsonPropertyDescription("Lowest step evaluated")
  private Long from;

  @Min(0)
  @JsonPropertyDescription("Highest step evaluated")
  private Long to;

  public StepRange() {}

  public StepRange(Long from, Long to) {
    this.from = from;
    this.to = to;
  }

  public Long getFrom() { return from; }
  public void setFrom(Long from) { this.from = from; }
  public Long getTo() { return to; }
  public void setTo(Long to) { this.to = to; }

  public boolean contains(long step) {
    return (from == null || step >= from) && (to == null || step <= to);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StepRange r && Objects.equals(from, r.from) && Objects.equals(to, r.to);
  }

  @Override
  public int hashCode() { return Objects.hash(from, to); }
}
