package dev.foresight.controller.job;

import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationSpec;
import dev.foresight.api.v1alpha1.ValidationRun;
import dev.foresight.api.v1alpha1.WorkerRuntime;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.controller.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
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
    WorkerRuntime runtime = spec.getRuntime() == null ? new WorkerRuntime() : spec.getRuntime();
    int gpus = gpus(runtime);
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(WorkerLabels.MANAGED_BY, WorkerLabels.MANAGED_BY_VALUE);
    labels.put(WorkerLabels.NAME, WorkerLabels.NAME_VALUE);
    labels.put(WorkerLabels.RUN, spec.getCheckpoint().getRun());
    Job job = new HardenedJob(config).build(new HardenedJob.Parts(
        JobNames.of(evaluation),
        evaluation,
        labels,
        Map.of(WorkerLabels.EVALUATION_ANNOTATION, evaluation.getMetadata().getName()),
        WorkerLabels.CONTAINER,
        runtime.getImage() != null ? runtime.getImage() : config.workerImage(),
        command(spec, runtime, gpus).toArgs(),
        resources(runtime, gpus),
        StorageAccess.of(spec),
        spec.getBackoffLimit() != null ? spec.getBackoffLimit() : config.defaultBackoffLimit(),
        spec.getActiveDeadlineSeconds() != null ? spec.getActiveDeadlineSeconds() : config.defaultDeadlineSeconds()));
    if (runtime.getQueueName() != null) {
      // On the Job only: Kueue admits Jobs.
      job.getMetadata().getLabels().put(WorkerLabels.KUEUE_QUEUE, runtime.getQueueName());
    }
    job.getSpec().setPodFailurePolicy(podFailurePolicy());
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    pod.setNodeSelector(runtime.getNodeSelector());
    pod.setTolerations(runtime.getTolerations());
    pod.setPriorityClassName(runtime.getPriorityClassName());
    return job;
  }

  /**
   * Exit codes 2-4 mean the spec, checkpoint or bundle is wrong: a retry would fail the same way,
   * so the Job fails at once. A pod disrupted by the cluster (preemption, node drain) does not
   * count against backoffLimit.
   */
  private static io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy podFailurePolicy() {
    return new PodFailurePolicyBuilder()
        .addNewRule()
          .withAction("FailJob")
          .withNewOnExitCodes()
            .withContainerName(WorkerLabels.CONTAINER)
            .withOperator("In")
            .withValues(WorkerExitCode.INVALID_ARGUMENTS.code(), WorkerExitCode.CHECKPOINT_NOT_FOUND.code(),
                WorkerExitCode.PROBE_INCOMPATIBLE.code())
          .endOnExitCodes()
        .endRule()
        .addNewRule()
          .withAction("Ignore")
          .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition()
        .endRule()
        .build();
  }

  private int gpus(WorkerRuntime runtime) {
    return runtime.getGpus() != null ? runtime.getGpus() : config.defaultGpus();
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
        gpus > 0 ? "cuda" : "cpu",
        runtime.getDtype() == null ? null : runtime.getDtype().wireName(),
        runtime.getBatchSize(),
        validation);
  }

  /** The configured defaults, then the spec's own values on top, then the GPUs. */
  private ResourceRequirements resources(WorkerRuntime runtime, int gpus) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    putAll(requests, config.workerResources().getRequests());
    putAll(limits, config.workerResources().getLimits());
    if (runtime.getResources() != null) {
      putAll(requests, runtime.getResources().getRequests());
      putAll(limits, runtime.getResources().getLimits());
    }
    if (gpus > 0) {
      // Extended resources are requested through limits; Kubernetes sets requests equal to them.
      limits.put(config.gpuResourceName(), new Quantity(Integer.toString(gpus)));
    }
    ResourceRequirements resources = new ResourceRequirements();
    resources.setRequests(requests);
    resources.setLimits(limits);
    return resources;
  }

  private static void putAll(Map<String, Quantity> into, Map<String, Quantity> from) {
    if (from != null) {
      into.putAll(from);
    }
  }
}
