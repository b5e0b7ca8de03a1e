package dev.foresight.controller.config;

import java.util.List;

/**
 * The operator's configuration keys: environment variables (what the Helm chart sets) and the
 * same names in camelCase in the optional YAML file named by {@link #CONFIG_FILE}. The
 * environment wins over the file. A chart test checks that the chart sets only keys listed here.
 */
public final class ConfigKeys {
  /** Path of an optional YAML config file. */
  public static final String CONFIG_FILE = "FORESIGHT_CONFIG_FILE";
  /** Comma-separated namespaces to watch; empty or unset watches all namespaces. */
  public static final String WATCH_NAMESPACES = "FORESIGHT_WATCH_NAMESPACES";
  /** The operator's own namespace (downward API), home of its Lease. */
  public static final String OPERATOR_NAMESPACE = "FORESIGHT_OPERATOR_NAMESPACE";
  /** The pod name (downward API): leader-election identity. */
  public static final String POD_NAME = "FORESIGHT_POD_NAME";
  public static final String WORKER_IMAGE = "FORESIGHT_WORKER_IMAGE";
  public static final String WORKER_IMAGE_PULL_POLICY = "FORESIGHT_WORKER_IMAGE_PULL_POLICY";
  /** Service account for worker pods; the chart creates one with no API access. */
  public static final String WORKER_SERVICE_ACCOUNT = "FORESIGHT_WORKER_SERVICE_ACCOUNT";
  /** Default worker resources as JSON, e.g. {"requests":{"cpu":"4","memory":"32Gi"}}. */
  public static final String WORKER_RESOURCES = "FORESIGHT_WORKER_RESOURCES";
  /** Extended resource name for GPUs; default nvidia.com/gpu. */
  public static final String GPU_RESOURCE_NAME = "FORESIGHT_GPU_RESOURCE_NAME";
  /** GPUs per worker when spec.runtime.gpus is unset; default 1. */
  public static final String DEFAULT_GPUS = "FORESIGHT_DEFAULT_GPUS";
  /** Most evaluations with a live Job at once; the rest wait in Queued. 0 means no cap. */
  public static final String MAX_IN_FLIGHT = "FORESIGHT_MAX_IN_FLIGHT";
  public static final String DEFAULT_DEADLINE_SECONDS = "FORESIGHT_DEFAULT_DEADLINE_SECONDS";
  public static final String DEFAULT_BACKOFF_LIMIT = "FORESIGHT_DEFAULT_BACKOFF_LIMIT";
  public static final String JOB_TTL_SECONDS = "FORESIGHT_JOB_TTL_SECONDS";
  /** Port of the HTTP server for /metrics, /healthz (liveness) and /readyz (readiness). */
  public static final String METRICS_PORT = "FORESIGHT_METRICS_PORT";
  public static final String LEADER_ELECTION = "FORESIGHT_LEADER_ELECTION";
  public static final String LEASE_NAME = "FORESIGHT_LEASE_NAME";

  public static final List<String> ALL = List.of(
      CONFIG_FILE, WATCH_NAMESPACES, OPERATOR_NAMESPACE, POD_NAME, WORKER_IMAGE, WORKER_IMAGE_PULL_POLICY,
      WORKER_SERVICE_ACCOUNT, WORKER_RESOURCES, GPU_RESOURCE_NAME, DEFAULT_GPUS, MAX_IN_FLIGHT,
      DEFAULT_DEADLINE_SECONDS, DEFAULT_BACKOFF_LIMIT, JOB_TTL_SECONDS, METRICS_PORT, LEADER_ELECTION, LEASE_NAME);

  private ConfigKeys() {}
}
