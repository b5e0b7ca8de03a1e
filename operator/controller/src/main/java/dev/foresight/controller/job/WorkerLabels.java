package dev.foresight.controller.job;

/** The labels and annotations the operator puts on worker Jobs and pods, and reads back. */
public final class WorkerLabels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "foresight-operator";
  public static final String NAME = "app.kubernetes.io/name";
  public static final String NAME_VALUE = "foresight-worker";
  /** app.kubernetes.io/name of a ProbeMonitor's scan Jobs and pods. */
  public static final String SCAN_NAME_VALUE = "foresight-scan";
  /** app.kubernetes.io/name of a ProbeTraining's stage Jobs and pods. */
  public static final String TRAINING_NAME_VALUE = "foresight-training";
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
  /** On a ProbeTraining's stage Jobs and pods: the ProbeTraining's name (an annotation, as above). */
  public static final String TRAINING_ANNOTATION = "foresight.dev/training";
  /** On a training stage's pods: the Indexed Job's completion index, as the Job controller labels them. */
  public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

  /**
   * On ProbeEvaluations: the ProbeMonitor they belong to, set by the monitor on those it makes and
   * by a trainer's callback on those it pushes (the monitor adopts them).
   */
  public static final String MONITOR = "foresight.dev/monitor";
  /**
   * On a monitor's ProbeEvaluations: set once the monitor's status holds the finished evaluation's
   * results (trend, counts); only evaluations so marked are ever pruned.
   */
  public static final String RECORDED_ANNOTATION = "foresight.dev/recorded";
  /** On scan Jobs: the step the scan lists below (absent: a scan for new checkpoints). */
  public static final String SCAN_BELOW_ANNOTATION = "foresight.dev/scan-below";

  /** The informers watch only what the operator made: worker Jobs and pods here... */
  public static final String SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE + "," + NAME + "=" + NAME_VALUE;
  /** ...and scan Jobs here. */
  public static final String SCAN_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE + "," + NAME + "=" + SCAN_NAME_VALUE;
  /** ...and training stage Jobs and their pods here. */
  public static final String TRAINING_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE + "," + NAME + "=" + TRAINING_NAME_VALUE;

  /**
   * The container's name in worker and scan pods alike (and in the worker Job's pod failure
   * policy): one program on one image, read by one {@link dev.foresight.controller.observe.JobObserver}.
   */
  public static final String CONTAINER = "worker";

  private WorkerLabels() {}
}
