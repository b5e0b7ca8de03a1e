package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** The ready checkpoints under a ProbeMonitor's prefix (its readiness rules), within a step range. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitorCheckpoints {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  @JsonPropertyDescription("A ProbeMonitor in this namespace")
  private String name;

  @Required
  private StepRange steps;

  public MonitorCheckpoints() {}

  public MonitorCheckpoints(String name, StepRange steps) {
    this.name = name;
    this.steps = steps;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public StepRange getSteps() { return steps; }
  public void setSteps(StepRange steps) { this.steps = steps; }

  @Override
  public boolean equals(Object o) {
    return o instanceof MonitorCheckpoints m && Objects.equals(name, m.name) && Objects.equals(steps, m.steps);
  }

  @Override
  public int hashCode() { return Objects.hash(name, steps); }
}
