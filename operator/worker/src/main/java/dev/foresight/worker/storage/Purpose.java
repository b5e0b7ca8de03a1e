package dev.foresight.worker.storage;

import dev.foresight.api.worker.WorkerExitCode;

/**
 * What a location holds, which decides how a storage problem is reported: a checkpoint that is
 * missing or unreadable is {@code CheckpointNotFound}; a probe bundle or task file that is missing,
 * or whose credentials are refused, is an invalid spec (retrying will not help); an unreachable
 * endpoint for anything but the checkpoint is a plain worker failure. A scan's checkpoint prefix
 * is treated like a checkpoint: missing, refused or unreachable, the monitor retries later.
 */
public enum Purpose {
  CHECKPOINT("checkpoint", WorkerExitCode.CHECKPOINT_NOT_FOUND, WorkerExitCode.CHECKPOINT_NOT_FOUND),
  CHECKPOINT_PREFIX("checkpoint prefix", WorkerExitCode.CHECKPOINT_NOT_FOUND, WorkerExitCode.CHECKPOINT_NOT_FOUND),
  PROBE_BUNDLE("probe bundle", WorkerExitCode.INVALID_ARGUMENTS, WorkerExitCode.FAILED),
  INPUT("input", WorkerExitCode.INVALID_ARGUMENTS, WorkerExitCode.FAILED),
  OUTPUT("output", WorkerExitCode.INVALID_ARGUMENTS, WorkerExitCode.FAILED);

  private final String noun;
  private final WorkerExitCode missingOrDenied;
  private final WorkerExitCode unreachable;

  Purpose(String noun, WorkerExitCode missingOrDenied, WorkerExitCode unreachable) {
    this.noun = noun;
    this.missingOrDenied = missingOrDenied;
    this.unreachable = unreachable;
  }

  public String noun() { return noun; }

  WorkerExitCode missingOrDenied() { return missingOrDenied; }

  WorkerExitCode unreachable() { return unreachable; }
}
