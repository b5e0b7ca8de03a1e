package dev.foresight.worker.bundle;

import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.WorkerException;
import java.nio.file.Path;

/**
 * A probe bundle that cannot be used as one: missing, corrupt or inconsistent. Retrying will not
 * fix it, so the worker reports an invalid spec (the probe URI) rather than a failure.
 */
public class BundleException extends WorkerException {
  private static final long serialVersionUID = 1L;

  public BundleException(Path bundle, String problem) {
    this(bundle, problem, null);
  }

  public BundleException(Path bundle, String problem, Throwable cause) {
    super(WorkerExitCode.INVALID_ARGUMENTS, "probe bundle " + bundle + ": " + problem, cause);
  }
}
