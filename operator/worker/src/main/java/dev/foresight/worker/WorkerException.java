package dev.foresight.worker;

import dev.foresight.api.worker.WorkerExitCode;

/**
 * A failure the worker can explain: its message is what the user reads (in the termination
 * message, the resource's status or the terminal), and its exit code tells the controller which
 * reason to give. Anything else that escapes is a {@link WorkerExitCode#FAILED worker failure}.
 */
public class WorkerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient WorkerExitCode exitCode;

  public WorkerException(WorkerExitCode exitCode, String message) {
    this(exitCode, message, null);
  }

  public WorkerException(WorkerExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public WorkerExitCode exitCode() { return exitCode; }

  /** The user gave something unusable: an option, a task file, a bundle that is not one. */
  public static WorkerException invalidArguments(String message) {
    return new WorkerException(WorkerExitCode.INVALID_ARGUMENTS, message);
  }

  /** The checkpoint is not where the user said, or cannot be read. */
  public static WorkerException checkpointNotFound(String message, Throwable cause) {
    return new WorkerException(WorkerExitCode.CHECKPOINT_NOT_FOUND, message, cause);
  }
}
