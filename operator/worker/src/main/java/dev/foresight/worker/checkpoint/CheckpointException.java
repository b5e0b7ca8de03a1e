package dev.foresight.worker.checkpoint;

import dev.foresight.api.worker.WorkerExitCode;
import java.io.IOException;

/**
 * A checkpoint that cannot be used: missing, unreadable, of an unsupported architecture, or with
 * weights that do not match its config. The worker exits with
 * {@link WorkerExitCode#CHECKPOINT_NOT_FOUND} (reason CheckpointNotFound) and this message.
 */
public class CheckpointException extends IOException {

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }

  public WorkerExitCode exitCode() { return WorkerExitCode.CHECKPOINT_NOT_FOUND; }
}
