package dev.foresight.worker.cli;

import dev.foresight.api.scan.ReadyCheckpoint;
import dev.foresight.api.scan.ScanCodec;
import dev.foresight.api.scan.ScanReport;
import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.v1alpha1.PendingCheckpoint;
import dev.foresight.api.v1alpha1.Readiness;
import dev.foresight.api.worker.ScanCommand;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.worker.report.ReportFile;
import dev.foresight.worker.scan.CheckpointScan;
import dev.foresight.worker.scan.ReadinessRule;
import dev.foresight.worker.scan.StepPattern;
import dev.foresight.worker.scan.StepWindow;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foresight scan}: a ProbeMonitor's scan pod. Lists the checkpoint folders under a prefix
 * and reports the ready ones, newest first, through {@code --report-file} (the termination
 * message; a {@link ScanReport} of at most 4096 bytes, paged with {@code --below}); a person reads
 * a summary on standard output. Reads listings and small files only, never weights, and does not
 * start the tensor runtime. Exit codes: 2 bad arguments or two folders with one step, 3 prefix
 * missing, refused or unreachable, 1 anything else; the message then goes to the report file.
 * Named apart from the API's {@link ScanCommand}, whose option names it declares.
 */
@Command(name = ScanCommand.SUBCOMMAND, mixinStandardHelpOptions = true, sortOptions = false,
    description = "List the checkpoint folders under a prefix and report the ready ones, newest first (a monitor's scan pod).")
final class ScanSubcommand implements Callable<Integer> {
  /** Up to this many listed folders the summary names them all; beyond, the newest and the oldest. */
  private static final int SUMMARY_NAMES = 10;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = ScanCommand.PREFIX, required = true,
      description = "folder holding one sub-folder per checkpoint: file:///path, a path, pvc://claim/path or s3://bucket/prefix")
  String prefix;

  @Option(names = ScanCommand.STEP_PATTERN,
      description = "regular expression searched in each folder's name, whose first group is the step (default: "
          + CheckpointPrefix.DEFAULT_STEP_PATTERN + ")")
  String stepPattern;

  @Option(names = ScanCommand.MARKER, description = "ready once this file is in the folder (the trainer writes it last)")
  String marker;

  @Option(names = ScanCommand.SETTLE_SECONDS,
      description = "without --marker: a complete folder is ready when no file in it changed for this long (default: "
          + Readiness.DEFAULT_SETTLE_SECONDS + ")")
  Integer settleSeconds;

  @Option(names = ScanCommand.ABOVE, description = "report only steps above this one")
  Long above;

  @Option(names = ScanCommand.BELOW, description = "report only steps below this one (the next page: the smallest step listed)")
  Long below;

  @Option(names = ScanCommand.FROM, description = "lowest step of the run's range (inclusive)")
  Long from;

  @Option(names = ScanCommand.TO, description = "highest step of the run's range (inclusive)")
  Long to;

  @Option(names = WorkerCommand.REPORT_FILE,
      description = "where the report goes (the pod passes " + WorkerCommand.TERMINATION_LOG + "); default: standard output")
  Path reportFile;

  @Override
  public Integer call() throws Exception {
    return ReportFile.orFailure(reportFile, () -> {
      StepPattern steps = StepPattern.of(stepPattern);
      StepWindow window = new StepWindow(above, below, from, to);
      ReadinessRule rule = ReadinessRule.of(marker, settleSeconds, Clock.systemUTC());
      CheckpointScan.Result result;
      try (Storage storage = Storage.fromEnvironment()) {
        result = new CheckpointScan(storage.listing(prefix, Purpose.CHECKPOINT_PREFIX), steps, rule, window,
            CheckpointScan.PARALLEL_CHECKS).run();
      }
      PrintWriter summary;
      String json;
      if (reportFile == null) {
        json = ScanCodec.encode(result.report());
        spec.commandLine().getOut().println(json);
        summary = spec.commandLine().getErr(); // standard output stays the report alone
      } else {
        json = ReportFile.writeReport(reportFile, result.report());
        summary = spec.commandLine().getOut();
      }
      summarize(result, ScanCodec.decode(json), summary);
      return 0;
    });
  }

  /** What a person reads: counts, the steps listed, why others wait, and how to page on. */
  private void summarize(CheckpointScan.Result result, ScanReport written, PrintWriter out) {
    ScanReport all = result.report();
    out.printf("%s: %d folders (%d without a step, %d outside the steps asked for)%n", prefix, result.folders(),
        result.withoutStep(), result.outsideWindow());
    out.printf("ready: %d%s%n", all.getReadyTotal(), all.getNewest() == null ? "" : ", newest step " + all.getNewest());
    List<ReadyCheckpoint> listed = written.getReady();
    if (listed.size() > SUMMARY_NAMES) {
      out.printf("listed: %d, %s … %s%n", listed.size(), listed.get(0).getPath(), listed.get(listed.size() - 1).getPath());
    } else if (!listed.isEmpty()) {
      out.printf("listed: %s%n", listed.stream().map(ReadyCheckpoint::getPath).collect(Collectors.joining(" ")));
    }
    for (PendingCheckpoint p : all.getNotReady()) {
      out.printf("not ready: %s (%s)%n", p.getPath(), p.getWhy());
    }
    if (written.hasMore() && !written.getReady().isEmpty()) {
      long smallest = written.getReady().get(written.getReady().size() - 1).getStep();
      out.printf("more: the report lists %d of %d; next page: %s %d%n", written.getReady().size(), all.getReadyTotal(),
          ScanCommand.BELOW, smallest);
    }
    out.flush();
  }
}
