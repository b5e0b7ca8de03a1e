package dev.foresight.controller.observe;

import dev.foresight.api.report.TerminationMessage;
import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.controller.job.WorkerLabels;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads a worker Job and its pods into a {@link WorkerState}. The outcome comes from the Job's
 * conditions, never its counters: the Job controller passes through states (active=0,
 * succeeded unset, the pod in uncountedTerminatedPods) that counters misread. Pods explain what the
 * Job cannot: why a pod is not scheduled, why an image does not pull, how the worker exited.
 */
public final class JobObserver {
  /**
   * Container waiting reasons that never resolve by themselves, and the failure each means. The
   * kubelet retries them forever while the pod holds its node (and GPU), so the evaluation fails
   * at once: the image cannot be had, or the container's configuration names a Secret, a key or a
   * ConfigMap that is not there (create them before the evaluation).
   */
  static final Map<String, Reason> LASTING_WAITS = Map.of(
      "ErrImagePull", Reason.ImagePullFailed,
      "ImagePullBackOff", Reason.ImagePullFailed,
      "InvalidImageName", Reason.ImagePullFailed,
      "ErrImageNeverPull", Reason.ImagePullFailed,
      "CreateContainerConfigError", Reason.ConfigError);

  private JobObserver() {}

  public static WorkerState observe(Job job, List<Pod> pods) {
    return observe(job, pods, Evidence.NONE);
  }

  public static WorkerState observe(Job job, List<Pod> pods, Evidence evidence) {
    Optional<JobCondition> succeeded = trueCondition(job, "Complete").or(() -> trueCondition(job, "SuccessCriteriaMet"));
    if (succeeded.isPresent()) {
      return completed(pods);
    }
    Optional<JobCondition> failed = trueCondition(job, "Failed").or(() -> trueCondition(job, "FailureTarget"));
    if (failed.isPresent()) {
      return failed(job, failed.get(), pods, evidence);
    }
    if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      String queue = job.getMetadata().getLabels() == null ? null
          : job.getMetadata().getLabels().get(WorkerLabels.KUEUE_QUEUE);
      return new WorkerState.Starting(false, queue == null ? "the Job is suspended"
          : "the Job is suspended until Kueue admits it from LocalQueue '" + queue + "'");
    }
    Optional<Pod> newest = pods.stream().max(NEWEST);
    if (newest.isPresent()) {
      return live(newest.get());
    }
    String refusal = evidence.podCreationRefusal();
    if (refusal == null) {
      // A pod last seen waiting for a node is gone: at the deadline the Job controller deletes it
      // before the Job's verdict arrives. Until another pod shows, the scheduler's word stands.
      return evidence.schedulerMessage() != null ? new WorkerState.Unschedulable(evidence.schedulerMessage())
          : awaitingPod(job.getMetadata().getName());
    }
    return PodCreationRefusal.lasting(refusal)
        ? new WorkerState.Failed(Reason.PodCreationFailed, "the cluster refuses to create the worker pod: " + refusal,
            null, null)
        : new WorkerState.Starting(false, "the Job cannot create the worker pod yet: " + refusal);
  }

  /** Whether the Job has its verdict: succeeded or failed. */
  public static boolean finished(Job job) {
    return Stream.of("Complete", "SuccessCriteriaMet", "Failed", "FailureTarget")
        .anyMatch(type -> trueCondition(job, type).isPresent());
  }

  /** Whether any of the pods shows its worker container terminated. */
  public static boolean anyWorkerExited(List<Pod> pods) {
    return pods.stream().anyMatch(p -> terminated(p).isPresent());
  }

  /**
   * A new Job, before its pod shows. The Job controller says why it cannot create the pod only in
   * the Job's events ({@link Evidence#podCreationRefusal()}); before any, the message points there.
   */
  public static WorkerState.Starting awaitingPod(String jobName) {
    return new WorkerState.Starting(false, "waiting for Job " + jobName + " to create the worker pod"
        + " (if this lasts, kubectl describe job " + jobName + " says why)");
  }

  private static WorkerState live(Pod pod) {
    String name = pod.getMetadata().getName();
    Optional<ContainerStatus> worker = workerStatus(pod);
    Optional<ContainerStateWaiting> waiting = worker.map(c -> c.getState() == null ? null : c.getState().getWaiting());
    Reason lasting = waiting.map(w -> LASTING_WAITS.get(w.getReason())).orElse(null);
    if (lasting == Reason.ImagePullFailed) {
      String image = worker.get().getImage();
      return new WorkerState.Failed(lasting, "cannot pull the worker image"
          + (image == null ? "" : " '" + image + "'") + said(waiting.get()), null, null);
    }
    if (lasting != null) {
      return new WorkerState.Failed(lasting, "cannot create the worker container of pod " + name + said(waiting.get()),
          null, null);
    }
    Optional<PodCondition> scheduled = podCondition(pod, "PodScheduled");
    if (scheduled.isPresent() && "False".equals(scheduled.get().getStatus())
        && "Unschedulable".equals(scheduled.get().getReason())) {
      return new WorkerState.Unschedulable(scheduled.get().getMessage() == null
          ? "no node can run the worker pod" : scheduled.get().getMessage());
    }
    boolean bound = scheduled.map(c -> "True".equals(c.getStatus())).orElse(false)
        || pod.getSpec() != null && pod.getSpec().getNodeName() != null;
    if (worker.isPresent() && worker.get().getState() != null && worker.get().getState().getRunning() != null) {
      return new WorkerState.Running(name, nodeName(pod), time(worker.get().getState().getRunning().getStartedAt()), null);
    }
    Optional<ContainerStateTerminated> terminated = terminated(pod);
    if (terminated.isPresent()) {
      // The Job has not given its verdict yet: complete, retry (backoffLimit) or fail.
      return new WorkerState.Running(name, nodeName(pod), time(terminated.get().getStartedAt()),
          terminated.get().getExitCode() == null ? -1 : terminated.get().getExitCode());
    }
    if (waiting.isPresent() && waiting.get().getReason() != null) {
      // E.g. ContainerCreating: the kubelet goes on by itself.
      return new WorkerState.Starting(bound, "pod " + name + ": " + waiting.get().getReason()
          + (waiting.get().getMessage() == null ? "" : ": " + waiting.get().getMessage()));
    }
    return new WorkerState.Starting(bound, bound ? "pod " + name + " is starting" : "pod " + name + " waits for a node");
  }

  /** " (Reason): message", the kubelet's words on a waiting container. */
  private static String said(ContainerStateWaiting waiting) {
    return " (" + waiting.getReason() + ")" + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage());
  }

  private static String nodeName(Pod pod) {
    return pod.getSpec() == null ? null : pod.getSpec().getNodeName();
  }

  private static WorkerState completed(List<Pod> pods) {
    return pods.stream()
        .filter(p -> terminated(p).filter(t -> t.getExitCode() != null && t.getExitCode() == 0).isPresent())
        .max(NEWEST)
        .flatMap(JobObserver::terminated)
        .<WorkerState>map(t -> new WorkerState.Completed(
            t.getMessage() == null ? "" : t.getMessage(), time(t.getStartedAt()), time(t.getFinishedAt())))
        .orElseGet(() -> new WorkerState.Completed(null, null, null));
  }

  private static WorkerState failed(Job job, JobCondition condition, List<Pod> pods, Evidence evidence) {
    String jobSays = condition.getReason() + (condition.getMessage() == null ? "" : ": " + condition.getMessage());
    if ("DeadlineExceeded".equals(condition.getReason())) {
      return deadline(job, jobSays, pods, evidence);
    }
    Optional<Pod> lastPod = pods.stream()
        .filter(p -> terminated(p).filter(t -> t.getExitCode() == null || t.getExitCode() != 0).isPresent())
        .max(NEWEST);
    if (lastPod.isEmpty()) {
      return new WorkerState.Failed(Reason.WorkerFailed, "the worker Job failed (" + jobSays + ")", null, null);
    }
    ContainerStateTerminated t = terminated(lastPod.get()).orElseThrow();
    Instant started = time(t.getStartedAt());
    Instant finished = time(t.getFinishedAt());
    Long podDeadline = lastPod.get().getSpec() == null ? null : lastPod.get().getSpec().getActiveDeadlineSeconds();
    if (lastPod.get().getStatus() != null && "DeadlineExceeded".equals(lastPod.get().getStatus().getReason())) {
      // A pod's own deadline (Indexed Jobs give each pod one): the kubelet killed the worker.
      return new WorkerState.Failed(Reason.DeadlineExceeded, "pod " + lastPod.get().getMetadata().getName()
          + " ran longer than its activeDeadlineSeconds" + (podDeadline == null ? "" : "=" + podDeadline), started, finished);
    }
    if ("OOMKilled".equals(t.getReason())) {
      return new WorkerState.Failed(Reason.OOMKilled, "the worker was killed for exceeding its memory limit;"
          + " raise spec.runtime.resources.limits.memory", started, finished);
    }
    int code = t.getExitCode() == null ? -1 : t.getExitCode();
    // The worker's own words (or, FallbackToLogsOnError, its log's tail): nothing in them may
    // drive a terminal or reorder text where status, Events and logs show them.
    String printable = TerminationMessage.printable(t.getMessage());
    String own = printable == null || printable.isBlank() ? null : TerminationMessage.clip(printable.strip());
    return new WorkerState.Failed(WorkerExitCode.of(code).reason(),
        own != null ? own : "the worker exited with code " + code + (t.getReason() == null ? "" : " (" + t.getReason() + ")"),
        started, finished);
  }

  /**
   * The deadline counts from the Job's start, pod or no pod, so what passed it is whatever kept the
   * worker from finishing: no pod at all, no node for it, a pod that never started, or the worker
   * itself. When the deadline strikes, the Job controller deletes the pod, and the pod informer may
   * already have dropped it: the evidence (what the status recorded and the Job's events) says the
   * same whichever arrives first.
   */
  private static WorkerState deadline(Job job, String jobSays, List<Pod> pods, Evidence evidence) {
    String within = " within activeDeadlineSeconds=" + job.getSpec().getActiveDeadlineSeconds();
    WorkerState last = pods.stream().max(NEWEST).map(JobObserver::live).orElse(null);
    if (last instanceof WorkerState.Failed f) {
      return f; // a lasting failure first seen now, e.g. after a restart of the operator
    }
    if (last instanceof WorkerState.Running) {
      return new WorkerState.Failed(Reason.DeadlineExceeded, "the worker ran longer than activeDeadlineSeconds="
          + job.getSpec().getActiveDeadlineSeconds() + " (" + jobSays + ")", null, null);
    }
    boolean bound = last instanceof WorkerState.Starting s && s.scheduled();
    String scheduler = last instanceof WorkerState.Unschedulable u ? u.message()
        : bound ? null : evidence.schedulerMessage();
    if (scheduler != null) {
      return new WorkerState.Failed(Reason.Unschedulable, "the worker pod never got a node" + within + ": " + scheduler,
          null, null);
    }
    if (last instanceof WorkerState.Starting s) {
      return new WorkerState.Failed(Reason.DeadlineExceeded, "the worker pod did not start" + within + ": " + s.message(),
          null, null);
    }
    if (evidence.podCreationRefusal() != null) {
      return new WorkerState.Failed(Reason.PodCreationFailed, "the Job could not create the worker pod" + within + ": "
          + evidence.podCreationRefusal(), null, null);
    }
    return new WorkerState.Failed(Reason.DeadlineExceeded, "the Job made no worker pod" + within + " (kubectl describe job "
        + job.getMetadata().getName() + " says why) (" + jobSays + ")", null, null);
  }

  private static Optional<JobCondition> trueCondition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  private static Optional<PodCondition> podCondition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static Optional<ContainerStatus> workerStatus(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(c -> WorkerLabels.CONTAINER.equals(c.getName()))
        .findFirst();
  }

  private static Optional<ContainerStateTerminated> terminated(Pod pod) {
    return workerStatus(pod).map(c -> c.getState() == null ? null : c.getState().getTerminated());
  }

  /** The pod a Job made last is the one that speaks for it. */
  private static final Comparator<Pod> NEWEST = Comparator
      .comparing((Pod p) -> Optional.ofNullable(time(p.getMetadata().getCreationTimestamp())).orElse(Instant.MIN))
      .thenComparing(p -> p.getMetadata().getName());

  /** A Kubernetes timestamp, or null when absent or unreadable (a time is never worth failing over). */
  public static Instant time(String timestamp) {
    if (timestamp == null || timestamp.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
