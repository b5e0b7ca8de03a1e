package dev.foresight.controller.observe;

import dev.foresight.api.v1alpha1.Reason;
import java.time.Instant;

/** What the worker Job and its pod say, read by {@link JobObserver}. */
public sealed interface WorkerState {

  /**
   * The Job exists but its worker is not running: the pod is being created, scheduled, pulling its
   * image, waiting for a Secret, or the Job is suspended (Kueue).
   *
   * @param scheduled whether the pod is bound to a node
   * @param message what it waits for, in the cluster's own words where there are some
   */
  record Starting(boolean scheduled, String message) implements WorkerState {}

  /** The scheduler found no node for the pod, most often for want of a GPU; the message is its own. */
  record Unschedulable(String message) implements WorkerState {}

  /**
   * The worker runs, or has exited and the Job has not yet given its verdict (the Job controller
   * marks the Job after the pod; phase stays Running meanwhile rather than flicker back).
   *
   * @param exitCode null while the worker runs
   */
  record Running(String podName, String nodeName, Instant startedAt, Integer exitCode) implements WorkerState {}

  /**
   * The Job succeeded; the report is the worker container's termination message.
   *
   * @param terminationMessage null when no terminated worker container could be found
   */
  record Completed(String terminationMessage, Instant startedAt, Instant finishedAt) implements WorkerState {}

  /** The evaluation failed for {@code reason}; the message is the container's or the Job's own. */
  record Failed(Reason reason, String message, Instant startedAt, Instant finishedAt) implements WorkerState {}
}
