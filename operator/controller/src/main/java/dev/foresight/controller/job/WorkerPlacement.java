package dev.foresight.controller.job;

import dev.foresight.api.v1alpha1.WorkerRuntime;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.controller.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a spec's {@code runtime} (one shared type) becomes a worker-image Job over the operator's
 * defaults: the image, the GPUs, requests and limits, node placement, the Kueue queue and the retry
 * rules. Shared by every Job whose pod does a worker's work (an evaluation, a training stage).
 */
final class WorkerPlacement {
  private final OperatorConfig config;
  private final WorkerRuntime runtime;

  WorkerPlacement(OperatorConfig config, WorkerRuntime runtime) {
    this.config = config;
    this.runtime = runtime == null ? new WorkerRuntime() : runtime;
  }

  WorkerRuntime runtime() {
    return runtime;
  }

  int gpus() {
    return runtime.getGpus() != null ? runtime.getGpus() : config.defaultGpus();
  }

  String image() {
    return runtime.getImage() != null ? runtime.getImage() : config.workerImage();
  }

  static String device(int gpus) {
    return gpus > 0 ? "cuda" : "cpu";
  }

  /** The configured defaults, then the spec's own values on top, then {@code gpus}. */
  ResourceRequirements resources(int gpus) {
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

  /** The Kueue queue on the Job, the node placement on its pods, and {@link #podFailurePolicy()}. */
  Job place(Job job) {
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
   * count against the backoff limit.
   */
  private static PodFailurePolicy podFailurePolicy() {
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

  private static void putAll(Map<String, Quantity> into, Map<String, Quantity> from) {
    if (from != null) {
      into.putAll(from);
    }
  }
}
