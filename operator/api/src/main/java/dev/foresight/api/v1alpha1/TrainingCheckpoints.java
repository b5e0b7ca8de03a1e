package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/**
 * The labelled checkpoints: listed one by one, or those a ProbeMonitor's prefix holds in a step
 * range (the training's first stage lists them once and keeps that list, so a checkpoint written
 * later does not change a training under way).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.list) != has(self.monitor)", message = "set exactly one of checkpoints.list and checkpoints.monitor")
public class TrainingCheckpoints {
  public static final int MAX_LIST = 1000;

  @Size(min = 1, max = MAX_LIST)
  @JsonPropertyDescription("The checkpoints, each with its step")
  private List<LabelledCheckpoint> list;

  private MonitorCheckpoints monitor;

  public List<LabelledCheckpoint> getList() { return list; }
  public void setList(List<LabelledCheckpoint> list) { this.list = list; }
  public MonitorCheckpoints getMonitor() { return monitor; }
  public void setMonitor(MonitorCheckpoints monitor) { this.monitor = monitor; }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingCheckpoints c && Objects.equals(list, c.list) && Objects.equals(monitor, c.monitor);
  }

  @Override
  public int hashCode() { return Objects.hash(list, monitor); }
}
