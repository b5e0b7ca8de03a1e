package dev.foresight.worker.bundle;

import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.WorkerException;
import java.util.List;

/** The bundle is sound but was trained for another model or prompt set; the message names each mismatch. */
public class ProbeIncompatibleException extends WorkerException {
  private static final long serialVersionUID = 1L;

  private final List<String> mismatches;

  public ProbeIncompatibleException(String subject, List<String> mismatches) {
    super(WorkerExitCode.PROBE_INCOMPATIBLE, subject + " does not fit: " + String.join("; ", mismatches));
    this.mismatches = List.copyOf(mismatches);
  }

  public List<String> mismatches() { return mismatches; }
}
