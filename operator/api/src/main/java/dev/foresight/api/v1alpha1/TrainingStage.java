package dev.foresight.api.v1alpha1;

/** The stages of a ProbeTraining, in order; each runs as Jobs on the worker image. */
public enum TrainingStage {
  /** Lists the checkpoints, reads their headers and the task files, checks the bundle URI (no GPU). */
  Checking,
  /** Generates labels (an Indexed Job of checkpoints × shards) or imports sample logs (one index per checkpoint). */
  Labelling,
  /** Merges each checkpoint's label shards and extracts its hidden-state features (one index per checkpoint). */
  Extracting,
  /** Trains every family, keeps the best and writes the bundle with its held-out metrics. */
  Training,
  Done
}
