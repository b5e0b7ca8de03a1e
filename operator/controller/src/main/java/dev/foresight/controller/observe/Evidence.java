package dev.foresight.controller.observe;

/**
 * What the operator knows of a worker Job beyond the Job and its pods. Both facts outlive the pod
 * that showed them or never show on a pod at all, so {@link JobObserver} would otherwise judge a
 * failed Job by whichever of the pod and Job informers happened to deliver first.
 *
 * @param podCreationRefusal the message of the Job controller's newest FailedCreate event, or null
 * @param schedulerMessage the scheduler's last Unschedulable message, as the evaluation's status
 *     recorded it while it waited, or null when it was not waiting for a node
 */
public record Evidence(String podCreationRefusal, String schedulerMessage) {
  public static final Evidence NONE = new Evidence(null, null);
}
