package dev.foresight.controller.job;

import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationSpec;
import dev.foresight.api.v1alpha1.ValidationRun;
import dev.foresight.api.v1alpha1.WorkerRuntime;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.controller.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the worker Job of a ProbeEvaluation: the pod of DESIGN.md "How a result travels" on the
 * {@link HardenedJob} every worker-image pod shares, with the GPU, placement and retry policy of an
 * evaluation. The spec must have passed {@link dev.foresight.controller.validate.SpecValidator}.
 */
public final class WorkerJobBuilder {
  /** Defaults of spec.validation (the generative drift check), as the CRD documents them. */
  public static final int DEFAULT_SAMPLES = 4;
  public static final int DEFAULT_MAX_NEW_TOKENS = 512;
  public static final double DEFAULT_TEMPERATURE = 0.6;

  public static final String SCRATCH = "/scratch";
  public static final String TMP = "/tmp";
  /** Worker pods run as this user and group; the image's files need only be world-readable. */
  public static final long WORKER_UID = 65532;

  private final OperatorConfig config;

  public WorkerJobBuilder(OperatorConfig config) {
    this.config = config;
  }

  public Job build(ProbeEvaluation evaluation) {
    ProbeEvaluationSpec spec = evaluation.getSpec();
    WorkerPlacement placement = new WorkerPlacement(config, spec.getRuntime());
    int gpus = placement.gpus();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(WorkerLabels.MANAGED_BY, WorkerLabels.MANAGED_BY_VALUE);
    labels.put(WorkerLabels.NAME, WorkerLabels.NAME_VALUE);
    labels.put(WorkerLabels.RUN, spec.getCheckpoint().getRun());
    return placement.place(new HardenedJob(config).build(new HardenedJob.Parts(
        JobNames.of(evaluation),
        evaluation,
        labels,
        Map.of(WorkerLabels.EVALUATION_ANNOTATION, evaluation.getMetadata().getName()),
        WorkerLabels.CONTAINER,
        placement.image(),
        command(spec, placement.runtime(), gpus).toArgs(),
        placement.resources(gpus),
        StorageAccess.of(spec),
        spec.getBackoffLimit() != null ? spec.getBackoffLimit() : config.defaultBackoffLimit(),
        spec.getActiveDeadlineSeconds() != null ? spec.getActiveDeadlineSeconds() : config.defaultDeadlineSeconds())));
  }

  private static WorkerCommand command(ProbeEvaluationSpec spec, WorkerRuntime runtime, int gpus) {
    ValidationRun v = spec.getValidation();
    WorkerCommand.Validation validation = v == null ? null : new WorkerCommand.Validation(
        v.getSamples() != null ? v.getSamples() : DEFAULT_SAMPLES,
        v.getMaxNewTokens() != null ? v.getMaxNewTokens() : DEFAULT_MAX_NEW_TOKENS,
        v.getTemperature() != null ? v.getTemperature() : DEFAULT_TEMPERATURE);
    return new WorkerCommand(
        spec.getCheckpoint().getUri(),
        spec.getProbe().getUri(),
        spec.getTasks(),
        WorkerCommand.TERMINATION_LOG,
        spec.getOutput(),
        WorkerPlacement.device(gpus),
        gpus > 1 ? gpus : null, // a model too large for one GPU is split by layers over the pod's GPUs
        runtime.getDtype() == null ? null : runtime.getDtype().wireName(),
        runtime.getBatchSize(),
        validation,
        spec.getCheckpoint().getStep()); // a probe may read it (SideInputs)
  }
}
