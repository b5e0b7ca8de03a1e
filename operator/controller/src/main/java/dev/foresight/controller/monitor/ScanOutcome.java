package dev.foresight.controller.monitor;

import dev.foresight.api.report.InvalidReportException;
import dev.foresight.api.report.TerminationMessage;
import dev.foresight.api.scan.ScanCodec;
import dev.foresight.api.scan.ScanReport;
import dev.foresight.controller.observe.JobObserver;
import dev.foresight.controller.observe.WorkerState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a finished scan Job says: its report, read from the container's termination message as
 * strictly as a worker's report, or why there is none, in the scan's own (printable, clipped)
 * words. {@link JobObserver} reads the Job and pod, as it does for worker Jobs.
 */
sealed interface ScanOutcome {
  Logger LOG = LoggerFactory.getLogger(ScanOutcome.class);

  record Listed(ScanReport report) implements ScanOutcome {}

  record Failed(String message) implements ScanOutcome {}

  /** Empty while the scan Job has no verdict. */
  static Optional<ScanOutcome> of(Job job, List<Pod> pods) {
    if (!JobObserver.finished(job)) {
      return Optional.empty();
    }
    WorkerState state = JobObserver.observe(job, pods);
    if (state instanceof WorkerState.Completed c) {
      if (c.terminationMessage() == null) {
        return Optional.of(new Failed("the scan succeeded but its pod is gone: no report to read"));
      }
      try {
        String name = job.getMetadata().getName();
        return Optional.of(new Listed(ScanCodec.decode(c.terminationMessage(),
            field -> LOG.info("scan {}: ignoring field {} of a newer scan", name, field))));
      } catch (InvalidReportException e) {
        return Optional.of(new Failed(TerminationMessage.clip(TerminationMessage.printable(
            "the scan's report was refused: " + String.join("; ", e.problems())))));
      }
    }
    if (state instanceof WorkerState.Failed f) {
      return Optional.of(new Failed(f.message()));
    }
    // Finished, yet JobObserver sees neither: cannot happen with its verdicts; say so rather than wait.
    return Optional.of(new Failed("the scan Job " + job.getMetadata().getName() + " finished without a verdict"));
  }
}
