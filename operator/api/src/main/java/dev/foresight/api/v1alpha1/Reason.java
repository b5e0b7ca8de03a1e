package dev.foresight.api.v1alpha1;

/**
 * The fixed set of outcome reasons, used in conditions, events and the
 * {@code foresight_evaluations_total{result}} metric. Users alert and script on these names: keep them stable.
 */
public enum Reason {
  /** The spec fails a check the schema cannot express; fix it and create a new resource. */
  InvalidSpec,
  /** The checkpoint is missing, unreadable or not in Hugging Face layout. */
  CheckpointNotFound,
  /** The probe bundle does not fit the checkpoint: hidden size, layer count, architecture or tokenizer. */
  ProbeIncompatible,
  /**
   * The worker pod got no node before activeDeadlineSeconds, most often for want of a GPU. While
   * it waits this is only the Scheduled condition's reason: clusters autoscale.
   */
  Unschedulable,
  /** The worker image cannot be pulled. */
  ImagePullFailed,
  /**
   * The worker container cannot be created from its configuration (CreateContainerConfigError):
   * most often the credentials Secret, or a key in it, is missing.
   */
  ConfigError,
  /**
   * The Job controller cannot create the worker pod: the cluster refuses it for good (a missing
   * PriorityClass, a PodSecurity or admission-webhook denial), or kept refusing it until the deadline.
   */
  PodCreationFailed,
  /** The worker was killed for exceeding its memory limit. */
  OOMKilled,
  /** The worker ran past activeDeadlineSeconds. */
  DeadlineExceeded,
  /** The ProbeTraining named by probe.trainingRef failed; the message holds its message. */
  TrainingFailed,
  /** The worker failed for another reason; the message holds its own words. */
  WorkerFailed,
  Succeeded
}
