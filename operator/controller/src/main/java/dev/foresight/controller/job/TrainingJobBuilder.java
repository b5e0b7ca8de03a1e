package dev.foresight.controller.job;

import dev.foresight.api.training.TrainingPlan;
import dev.foresight.api.v1alpha1.GeneratedLabels;
import dev.foresight.api.v1alpha1.ProbeTraining;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.worker.TrainingStageCommand;
import dev.foresight.api.worker.TrainingStageCommand.Stage;
import dev.foresight.controller.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds what one stage of a ProbeTraining runs in: the plan's ConfigMap, and the stage's Job of
 * {@code foresight training <stage>} on the {@link HardenedJob} every worker-image pod shares,
 * placed by the spec's runtime ({@link WorkerPlacement}) and reading the plan mounted read-only at
 * {@link TrainingPlan#MOUNT_PATH}. The indexed stages (label, import, extract) are Indexed Jobs whose
 * indexes retry and fail on their own: {@code backoffLimitPerIndex} retries, and the first index
 * that runs out of them fails the Job ({@code maxFailedIndexes: 0}). The check and the import need
 * no GPU. The spec must have passed the training's validation.
 */
public final class TrainingJobBuilder {
  static final String PLAN_VOLUME = "plan";

  private final OperatorConfig config;

  public TrainingJobBuilder(OperatorConfig config) {
    this.config = config;
  }

  /** The ConfigMap {@link JobNames#ofTrainingPlan} holding {@code plan}, owned by the training. */
  public ConfigMap planConfigMap(ProbeTraining training, TrainingPlan plan) {
    return new ConfigMapBuilder()
        .withNewMetadata()
          .withName(JobNames.ofTrainingPlan(training))
          .withNamespace(training.getMetadata().getNamespace())
          .withLabels(labels(training))
          .withAnnotations(Map.of(WorkerLabels.TRAINING_ANNOTATION, training.getMetadata().getName()))
          .withOwnerReferences(HardenedJob.controllerReference(training))
        .endMetadata()
        .withData(Map.of(TrainingPlan.CONFIG_MAP_KEY, plan.toJson()))
        .build();
  }

  /**
   * @param credentialsSecret the S3 credentials of the training (its own, or its monitor's), or null
   * @param completions indexes of an indexed stage; ignored for the others
   */
  public Job build(ProbeTraining training, Stage stage, TrainingPlan plan, String credentialsSecret, int completions) {
    ProbeTrainingSpec spec = training.getSpec();
    WorkerPlacement placement = new WorkerPlacement(config, spec.getRuntime());
    boolean gpu = stage == Stage.LABEL || stage == Stage.EXTRACT || stage == Stage.TRAIN;
    int gpus = gpu ? placement.gpus() : 0;
    var runtime = placement.runtime();
    TrainingStageCommand command = new TrainingStageCommand(stage, null, WorkerPlacement.device(gpus),
        gpus > 0 && runtime.getDtype() != null ? runtime.getDtype().wireName() : null, gpus > 0 ? runtime.getBatchSize() : null);
    int backoff = spec.getBackoffLimit() != null ? spec.getBackoffLimit() : ProbeTrainingSpec.DEFAULT_BACKOFF_LIMIT;
    long deadline = spec.getActiveDeadlineSeconds() != null ? spec.getActiveDeadlineSeconds()
        : ProbeTrainingSpec.DEFAULT_DEADLINE_SECONDS;
    Job job = placement.place(new HardenedJob(config).build(new HardenedJob.Parts(
        JobNames.ofTraining(training, stage),
        training,
        labels(training),
        Map.of(WorkerLabels.TRAINING_ANNOTATION, training.getMetadata().getName()),
        WorkerLabels.CONTAINER,
        placement.image(),
        command.toArgs(),
        // Checking reads headers and lists folders: the scan's small pod.
        stage == Stage.CHECK ? ScanJobBuilder.RESOURCES : placement.resources(gpus),
        StorageAccess.of(plan, credentialsSecret),
        backoff,
        deadline)));
    mountPlan(job, JobNames.ofTrainingPlan(training));
    if (stage.indexed()) {
      index(job.getSpec(), completions, parallelism(spec), backoff, deadline);
    }
    return job;
  }

  private static Map<String, String> labels(ProbeTraining training) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(WorkerLabels.MANAGED_BY, WorkerLabels.MANAGED_BY_VALUE);
    labels.put(WorkerLabels.NAME, WorkerLabels.TRAINING_NAME_VALUE);
    labels.put(WorkerLabels.RUN, training.getSpec().getRun());
    return labels;
  }

  /** Label pods at once as the spec says; imports and extractions as many (they are as many pods per checkpoint). */
  private static int parallelism(ProbeTrainingSpec spec) {
    GeneratedLabels generate = spec.getLabels().getGenerate();
    return generate != null ? generate.parallelismOrDefault() : GeneratedLabels.DEFAULT_PARALLELISM;
  }

  private static void mountPlan(Job job, String configMap) {
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    pod.getVolumes().add(new VolumeBuilder().withName(PLAN_VOLUME).withNewConfigMap().withName(configMap).endConfigMap()
        .build());
    pod.getContainers().get(0).getVolumeMounts().add(new VolumeMountBuilder().withName(PLAN_VOLUME)
        .withMountPath(TrainingPlan.MOUNT_PATH).withReadOnly(true).build());
  }

  /**
   * One pod per index, each retried on its own. The deadline moves from the Job to each pod: a
   * labelling Job of many shards runs far longer than any one of them may.
   */
  private static void index(JobSpec spec, int completions, int parallelism, int backoff, long deadline) {
    spec.setCompletionMode("Indexed");
    spec.setCompletions(completions);
    spec.setParallelism(Math.min(parallelism, completions));
    spec.setBackoffLimitPerIndex(backoff);
    spec.setMaxFailedIndexes(0);
    spec.setBackoffLimit(null);
    spec.setActiveDeadlineSeconds(null);
    spec.getTemplate().getSpec().setActiveDeadlineSeconds(deadline);
  }
}
