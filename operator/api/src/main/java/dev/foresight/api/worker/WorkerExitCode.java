package dev.foresight.api.worker;

import dev.foresight.api.v1alpha1.Reason;

/**
 * The worker's exit codes and the reason the controller gives each. The worker writes its report
 * (on success) or its error message (on failure) to the termination-message file before it exits.
 */
public enum WorkerExitCode {
  SUCCESS(0, Reason.Succeeded),
  FAILED(1, Reason.WorkerFailed),
  INVALID_ARGUMENTS(2, Reason.InvalidSpec),
  CHECKPOINT_NOT_FOUND(3, Reason.CheckpointNotFound),
  PROBE_INCOMPATIBLE(4, Reason.ProbeIncompatible);

  private final int code;
  private final Reason reason;

  WorkerExitCode(int code, Reason reason) {
    this.code = code;
    this.reason = reason;
  }

  public int code() { return code; }

  public Reason reason() { return reason; }

  /** Any code the worker does not define (a crash, a signal: 128+n) is a worker failure. */
  public static WorkerExitCode of(int code) {
    for (WorkerExitCode c : values()) {
      if (c.code == code) {
        return c;
      }
    }
    return FAILED;
  }
}
