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
  /** The worker pod cannot be scheduled, most often for want of a GPU. */
  Unschedulable,
  /** The worker image cannot be pulled. */
  ImagePullFailed,
  /** The worker was killed for exceeding its memory limit. */
  OOMKilled,
  /** The worker ran past activeDeadlineSeconds. */
  DeadlineExceeded,
  /** The worker failed for another reason; the message holds its own words. */
  WorkerFailed,
  Succeeded
}
