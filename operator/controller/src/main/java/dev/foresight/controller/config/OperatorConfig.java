package dev.foresight.controller.config;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.Set;

/**
 * The operator's validated configuration (see {@link ConfigKeys} for what each key means and
 * {@link ConfigLoader} for where it comes from).
 *
 * @param watchNamespaces namespaces to watch; empty watches all
 * @param operatorNamespace the operator's own namespace (home of the Lease); null: the client's
 * @param podName leader-election identity; null: JOSDK falls back to HOSTNAME
 * @param workerServiceAccount service account of worker pods; null: the namespace's default
 * @param workerResources default worker requests and limits, never GPUs (those come from gpus)
 * @param maxInFlight most evaluations with a Job at once; 0 means no cap
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    String operatorNamespace,
    String podName,
    String workerImage,
    String workerImagePullPolicy,
    String workerServiceAccount,
    ResourceRequirements workerResources,
    String gpuResourceName,
    int defaultGpus,
    int maxInFlight,
    long defaultDeadlineSeconds,
    int defaultBackoffLimit,
    int jobTtlSeconds,
    int metricsPort,
    boolean leaderElection,
    String leaseName) {

  public static final String DEFAULT_IMAGE_PULL_POLICY = "IfNotPresent";
  public static final String DEFAULT_GPU_RESOURCE_NAME = "nvidia.com/gpu";
  public static final int DEFAULT_GPUS = 1;
  /** No cap unless configured, as the Helm chart's default: the scheduler (or Kueue) queues pods too. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 0;
  public static final long DEFAULT_DEADLINE_SECONDS = 3600;
  public static final int DEFAULT_BACKOFF_LIMIT = 1;
  /** A day: long enough to read a failed worker's logs, short enough not to pile up Jobs. */
  public static final int DEFAULT_JOB_TTL_SECONDS = 86400;
  public static final int DEFAULT_METRICS_PORT = 8080;
  public static final String DEFAULT_LEASE_NAME = "foresight-operator";

  public OperatorConfig {
    watchNamespaces = Set.copyOf(watchNamespaces);
  }

  /** Where the leader-election Lease lives: the configured namespace, else the client's (its pod's). */
  public String leaseNamespace(String clientNamespace) {
    return operatorNamespace != null ? operatorNamespace : clientNamespace;
  }

  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }
}
