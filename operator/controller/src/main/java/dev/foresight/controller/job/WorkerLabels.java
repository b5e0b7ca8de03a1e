package dev.foresight.controller.job;

/** The labels and annotations the operator puts on worker Jobs and pods, and reads back. */
public final class WorkerLabels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "foresight-operator";
  public static final String NAME = "app.kubernetes.io/name";
  public static final String NAME_VALUE = "foresight-worker";
  /** The training run: lets {@code kubectl get jobs -l foresight.dev/run=olmo3-7b} list a run's evaluations. */
  public static final String RUN = "foresight.dev/run";
  /** On pods: the Job they belong to (Job names fit a label value: at most 63 characters). */
  public static final String JOB = "foresight.dev/job";
  /** Kueue admits a Job into the LocalQueue named by this label. */
  public static final String KUEUE_QUEUE = "kueue.x-k8s.io/queue-name";
  /**
   * On Jobs and pods: the ProbeEvaluation's name. An annotation, not a label: resource names may
   * be up to 253 characters, label values only 63.
   */
  public static final String EVALUATION_ANNOTATION = "foresight.dev/evaluation";

  /** The informers watch only what the operator made. */
  public static final String SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

  /** The worker container's name in the pod (and in the Job's pod failure policy). */
  public static final String CONTAINER = "worker";

  private WorkerLabels() {}
}
