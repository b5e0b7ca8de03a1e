package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * What to label, how, and what to train. Immutable once created (the CEL rule sits on the
 * {@code spec} field): the stages' outputs are named after this spec, so a changed spec would
 * silently mix two trainings' files. A new training is a new resource; one re-created with the
 * same spec reuses every output its predecessor finished.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "spec is immutable: create a new ProbeTraining to train again")
@ValidationRule(value = "!has(self.labels.monitorValidation) || has(self.checkpoints.monitor)",
    message = ProbeTrainingSpec.VALIDATION_NEEDS_MONITOR)
public class ProbeTrainingSpec {
  public static final int DEFAULT_DEADLINE_SECONDS = 3600;
  public static final int DEFAULT_BACKOFF_LIMIT = 2;
  public static final String VALIDATION_NEEDS_MONITOR = "spec.labels.monitorValidation: reads the validation runs"
      + " of the ProbeMonitor named by spec.checkpoints.monitor; set checkpoints.monitor, not checkpoints.list";

  @Required
  @Pattern(CheckpointSource.RUN_PATTERN)
  @JsonPropertyDescription("Training-run label (metrics are per run)")
  private String run;

  @Required
  private TrainingCheckpoints checkpoints;

  @Required
  private TaskFiles tasks;

  @Required
  private LabelSource labels;

  private TrainingSettings probe;

  @Required
  private BundleOutput output;

  @JsonPropertyDescription("Secret with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optionally AWS_ENDPOINT_URL, AWS_REGION"
      + " for every s3:// location of this training; default: the monitor's, with checkpoints.monitor")
  private String credentialsSecret;

  private WorkerRuntime runtime;

  @Min(value = 0, inclusive = false)
  @JsonPropertyDescription("Seconds each stage's pods may run before they are stopped; default 3600")
  private Long activeDeadlineSeconds;

  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Retries of each failed pod (per label shard in the labelling Job); default 2")
  private Integer backoffLimit;

  public String getRun() { return run; }
  public void setRun(String run) { this.run = run; }
  public TrainingCheckpoints getCheckpoints() { return checkpoints; }
  public void setCheckpoints(TrainingCheckpoints checkpoints) { this.checkpoints = checkpoints; }
  public TaskFiles getTasks() { return tasks; }
  public void setTasks(TaskFiles tasks) { this.tasks = tasks; }
  public LabelSource getLabels() { return labels; }
  public void setLabels(LabelSource labels) { this.labels = labels; }
  public TrainingSettings getProbe() { return probe; }
  public void setProbe(TrainingSettings probe) { this.probe = probe; }
  public BundleOutput getOutput() { return output; }
  public void setOutput(BundleOutput output) { this.output = output; }
  public String getCredentialsSecret() { return credentialsSecret; }
  public void setCredentialsSecret(String credentialsSecret) { this.credentialsSecret = credentialsSecret; }
  public WorkerRuntime getRuntime() { return runtime; }
  public void setRuntime(WorkerRuntime runtime) { this.runtime = runtime; }
  public Long getActiveDeadlineSeconds() { return activeDeadlineSeconds; }
  public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) { this.activeDeadlineSeconds = activeDeadlineSeconds; }
  public Integer getBackoffLimit() { return backoffLimit; }
  public void setBackoffLimit(Integer backoffLimit) { this.backoffLimit = backoffLimit; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProbeTrainingSpec s && Objects.equals(run, s.run) && Objects.equals(checkpoints, s.checkpoints)
        && Objects.equals(tasks, s.tasks) && Objects.equals(labels, s.labels) && Objects.equals(probe, s.probe)
        && Objects.equals(output, s.output) && Objects.equals(credentialsSecret, s.credentialsSecret)
        && Objects.equals(runtime, s.runtime)
        && Objects.equals(activeDeadlineSeconds, s.activeDeadlineSeconds) && Objects.equals(backoffLimit, s.backoffLimit);
  }

  @Override
  public int hashCode() {
    return Objects.hash(run, checkpoints, tasks, labels, probe, output, credentialsSecret, runtime, activeDeadlineSeconds, backoffLimit);
  }
}
