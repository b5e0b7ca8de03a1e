package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * What to follow and how to evaluate it. Unlike a ProbeEvaluation's, this spec may change while the
 * monitor runs (a new probe, a wider step range): evaluations already made keep what they were
 * made with, later ones take the new spec. The run and the prefix are fixed: another run is
 * another monitor.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.run == oldSelf.run", message = "spec.run is immutable: follow another run with another ProbeMonitor")
@ValidationRule(value = "self.checkpoints.uri == oldSelf.checkpoints.uri",
    message = "spec.checkpoints.uri is immutable: follow another prefix with another ProbeMonitor")
@ValidationRule(value = "!has(self.every) || !has(self.minStepGap)", message = "set spec.every or spec.minStepGap, not both")
public class ProbeMonitorSpec {
  public static final int DEFAULT_POLL_SECONDS = 60;
  public static final int DEFAULT_HISTORY_LIMIT = 50;
  public static final int DEFAULT_TREND_LENGTH = 20;
  public static final int DEFAULT_STALLED_AFTER_SECONDS = 7200;

  @Required
  @Pattern(CheckpointSource.RUN_PATTERN)
  @JsonPropertyDescription("Training-run label of every evaluation (metrics are per run and task)")
  private String run;

  @Required
  private CheckpointPrefix checkpoints;

  @Min(10)
  @Max(86400)
  @JsonPropertyDescription("Seconds between scans of the prefix; default 60")
  private Integer pollSeconds;

  private StepRange steps;

  @Min(1)
  @Max(100000)
  @JsonPropertyDescription("Evaluate every k-th ready checkpoint (by step); default 1, every one")
  private Integer every;

  @Min(1)
  @JsonPropertyDescription("Instead of every: evaluate a checkpoint only if its step is at least this far from the last one evaluated")
  private Long minStepGap;

  @JsonPropertyDescription("Backlog order: NewestFirst (default) or OldestFirst")
  private MonitorOrder order;

  @Required
  private ProbeSource probe;

  @Size(min = 1, max = 64)
  @JsonPropertyDescription("Tasks to predict; default every task in the bundle")
  private List<@Pattern(ProbeEvaluationSpec.TASK_NAME_PATTERN) String> tasks;

  private WorkerRuntime runtime;

  private PeriodicValidation validation;

  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Finished ProbeEvaluations kept; older ones are deleted once the trend holds their results; default 50")
  private Integer historyLimit;

  @Min(1)
  @Max(200)
  @JsonPropertyDescription("Evaluated steps kept in status.trend; default 20")
  private Integer trendLength;

  @Min(60)
  @JsonPropertyDescription("Stalled=True when no new checkpoint is ready within this many seconds; default 7200")
  private Integer stalledAfterSeconds;

  @JsonPropertyDescription("Stop scanning and creating evaluations; running ones finish")
  private Boolean suspend;

  public String getRun() { return run; }
  public void setRun(String run) { this.run = run; }
  public CheckpointPrefix getCheckpoints() { return checkpoints; }
  public void setCheckpoints(CheckpointPrefix checkpoints) { this.checkpoints = checkpoints; }
  public Integer getPollSeconds() { return pollSeconds; }
  public void setPollSeconds(Integer pollSeconds) { this.pollSeconds = pollSeconds; }
  public StepRange getSteps() { return steps; }
  public void setSteps(StepRange steps) { this.steps = steps; }
  public Integer getEvery() { return every; }
  public void setEvery(Integer every) { this.every = every; }
  public Long getMinStepGap() { return minStepGap; }
  public void setMinStepGap(Long minStepGap) { this.minStepGap = minStepGap; }
  public MonitorOrder getOrder() { return order; }
  public void setOrder(MonitorOrder order) { this.order = order; }
  public ProbeSource getProbe() { return probe; }
  public void setProbe(ProbeSource probe) { this.probe = probe; }
  public List<String> getTasks() { return tasks; }
  public void setTasks(List<String> tasks) { this.tasks = tasks; }
  public WorkerRuntime getRuntime() { return runtime; }
  public void setRuntime(WorkerRuntime runtime) { this.runtime = runtime; }
  public PeriodicValidation getValidation() { return validation; }
  public void setValidation(PeriodicValidation validation) { this.validation = validation; }
  public Integer getHistoryLimit() { return historyLimit; }
  public void setHistoryLimit(Integer historyLimit) { this.historyLimit = historyLimit; }
  public Integer getTrendLength() { return trendLength; }
  public void setTrendLength(Integer trendLength) { this.trendLength = trendLength; }
  public Integer getStalledAfterSeconds() { return stalledAfterSeconds; }
  public void setStalledAfterSeconds(Integer stalledAfterSeconds) { this.stalledAfterSeconds = stalledAfterSeconds; }
  public Boolean getSuspend() { return suspend; }
  public void setSuspend(Boolean suspend) { this.suspend = suspend; }

  public boolean suspended() { return Boolean.TRUE.equals(suspend); }
}
