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
import java.util.Objects;

/** What to evaluate. Immutable once created (the CEL rule sits on the {@code spec} field). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "spec is immutable: create a new ProbeEvaluation to evaluate again")
public class ProbeEvaluationSpec {

  /** Task names as they appear in a bundle's tasks/ folder and in metric labels. */
  public static final String TASK_NAME_PATTERN = "^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$";

  @Required
  private CheckpointSource checkpoint;

  @Required
  private ProbeSource probe;

  @Size(min = 1, max = 64)
  @JsonPropertyDescription("Tasks to predict; default every task in the bundle")
  private List<@Pattern(TASK_NAME_PATTERN) String> tasks;

  private WorkerRuntime runtime;

  private ValidationRun validation;

  @Pattern(StorageLocation.PATTERN)
  @JsonPropertyDescription("Where the worker writes the full per-prompt output (optional)")
  private String output;

  @Min(value = 0, inclusive = false)
  @JsonPropertyDescription("Seconds the worker may run before it is stopped; default 3600")
  private Long activeDeadlineSeconds;

  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Retries of a failed worker pod; default 1")
  private Integer backoffLimit;

  public CheckpointSource getCheckpoint() { return checkpoint; }
  public void setCheckpoint(CheckpointSource checkpoint) { this.checkpoint = checkpoint; }
  public ProbeSource getProbe() { return probe; }
  public void setProbe(ProbeSource probe) { this.probe = probe; }
  public List<String> getTasks() { return tasks; }
  public void setTasks(List<String> tasks) { this.tasks = tasks; }
  public WorkerRuntime getRuntime() { return runtime; }
  public void setRuntime(WorkerRuntime runtime) { this.runtime = runtime; }
  public ValidationRun getValidation() { return validation; }
  public void setValidation(ValidationRun validation) { this.validation = validation; }
  public String getOutput() { return output; }
  public void setOutput(String output) { this.output = output; }
  public Long getActiveDeadlineSeconds() { return activeDeadlineSeconds; }
  public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) { this.activeDeadlineSeconds = activeDeadlineSeconds; }
  public Integer getBackoffLimit() { return backoffLimit; }
  public void setBackoffLimit(Integer backoffLimit) { this.backoffLimit = backoffLimit; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProbeEvaluationSpec s && Objects.equals(checkpoint, s.checkpoint)
        && Objects.equals(probe, s.probe) && Objects.equals(tasks, s.tasks)
        && Objects.equals(runtime, s.runtime) && Objects.equals(validation, s.validation)
        && Objects.equals(output, s.output) && Objects.equals(activeDeadlineSeconds, s.activeDeadlineSeconds)
        && Objects.equals(backoffLimit, s.backoffLimit);
  }

  @Override
  public int hashCode() {
    return Objects.hash(checkpoint, probe, tasks, runtime, validation, output, activeDeadlineSeconds, backoffLimit);
  }
}
