package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.report.TerminationMessage;
import dev.foresight.api.scan.ScanCodec;
import dev.foresight.api.scan.ScanReport;
import dev.foresight.api.worker.ScanCommand;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.scan.CheckpointLayout;
import dev.foresight.worker.scan.ScanReports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code foresight scan} in this JVM, as the controller's tests run it: arguments from the API's
 * {@link ScanCommand}, the report read back from {@code --report-file} with the controller's reader.
 */
class ScanSubcommandTest {
  private static final Instant LONG_AGO = Instant.now().minus(Duration.ofDays(1));

  @TempDir Path tmp;

  private Cli.Run scan(ScanCommand command) {
    return Cli.run(command.toArgs().toArray(String[]::new));
  }

  private static ScanReport report(Path file) throws Exception {
    String json = Files.readString(file);
    assertTrue(TerminationMessage.utf8Length(json) <= TerminationMessage.MAX_BYTES, json.length() + " bytes");
    return ScanCodec.decode(json);
  }

  @Test
  void reportsTheReadyFoldersOfAMixedPrefixNewestFirst() throws Exception {
    Path root = tmp.resolve("run");
    new CheckpointLayout(root)
        .single("step-100", LONG_AGO).marker("step-100", ".ready", LONG_AGO)
        .marker("step200", ".ready", LONG_AGO)
        .single("checkpoint-300", LONG_AGO) // complete, but the trainer has not said so
        .marker("global_step400", ".ready", LONG_AGO)
        .marker("step_500", ".ready", LONG_AGO)
        .marker("tmp", ".ready", LONG_AGO)               // unrelated folder
        .marker("tmp-checkpoint-600", ".ready", LONG_AGO) // a trainer's staging folder
        .folder("step-700/step-800");                   // a folder inside a checkpoint is not one
    Files.writeString(root.resolve("notes.txt"), "step-900");
    Files.createDirectories(root.resolve("step-1000.tmp"));
    Path reportFile = tmp.resolve("termination-log");

    Cli.Run run = scan(new ScanCommand("file://" + root, null, ".ready", null, null, null, null, null, reportFile.toString()))
        .expectSuccess();

    ScanReport r = report(reportFile);
    assertEquals(List.of("500 step_500", "400 global_step400", "200 step200", "100 step-100"), ScanReports.ready(r));
    assertEquals(List.of("step-700 700: no .ready marker yet", "checkpoint-300 300: no .ready marker yet"),
        ScanReports.notReady(r));
    assertEquals(4, r.getReadyTotal());
    assertEquals(500L, r.getNewest());
    assertFalse(r.hasMore());
    assertTrue(run.out().startsWith("file://" + root + ": 9 folders (3 without a step, 0 outside the steps asked for)\n"
        + "ready: 4, newest step 500\nlisted: step_500 global_step400 step200 step-100\n"), run.out());
    assertTrue(run.out().contains("not ready: checkpoint-300 (no .ready marker yet)"), run.out());
  }

  @Test
  void withoutAReportFileTheReportIsStandardOutputAlone() throws Exception {
    Path root = tmp.resolve("run");
    new CheckpointLayout(root).single("step-5", LONG_AGO);
    Cli.Run run = Cli.run("scan", "--prefix", root.toString()).expectSuccess();
    ScanReport r = ScanCodec.decode(run.out().strip());
    assertEquals(List.of("5 step-5"), ScanReports.ready(r));
    assertTrue(run.err().contains("ready: 1, newest step 5"), run.err());
  }

  @Test
  void pagesWithBelowUntilEveryReadyStepIsSeenOnce() throws Exception {
    Path root = tmp.resolve("run");
    CheckpointLayout layout = new CheckpointLayout(root);
    Set<Long> allReady = new TreeSet<>();
    for (long step = 1; step <= 400; step++) {
      String name = "checkpoint-" + step * 10;
      if (step % 7 == 0) {
        layout.folder(name); // not ready: must leave no gap in the pages
      } else {
        layout.marker(name, "DONE", LONG_AGO);
        allReady.add(step * 10);
      }
    }
    Path reportFile = tmp.resolve("termination-log");
    List<Long> seen = new ArrayList<>();
    Long below = null;
    int pages = 0;
    while (true) {
      Cli.Run run = scan(new ScanCommand("file://" + root, null, "DONE", null, null, below, null, null, reportFile.toString()))
          .expectSuccess();
      ScanReport page = report(reportFile);
      pages++;
      if (page.hasMore()) {
        long smallest = page.getReady().get(page.getReady().size() - 1).getStep();
        assertTrue(run.out().contains("listed: " + page.getReady().size() + ", checkpoint-" + page.getReady().get(0).getStep()
            + " … checkpoint-" + smallest + "\n"), run.out());
        assertTrue(run.out().contains("next page: --below " + smallest), run.out());
      }
      assertEquals(allReady.size() - seen.size(), page.getReadyTotal(), "readyTotal counts the rest of the backlog");
      seen.addAll(ScanReports.steps(page));
      if (!page.hasMore()) {
        break;
      }
      below = page.getReady().get(page.getReady().size() - 1).getStep();
    }
    assertTrue(pages > 2, "the backlog should need several pages, took " + pages);
    assertEquals(seen.size(), new HashSet<>(seen).size(), "no step twice");
    assertEquals(allReady, new TreeSet<>(seen));
  }

  @Test
  void aMissingPrefixExitsThreeWithTheMessageInTheReportFile() throws Exception {
    Path reportFile = tmp.resolve("termination-log");
    Path missing = tmp.resolve("no-such-run");
    Cli.Run run = scan(new ScanCommand("file://" + missing, null, null, null, null, null, null, null, reportFile.toString()));
    assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND.code(), run.exitCode(), run.err());
    String message = "checkpoint prefix not found: file://" + missing + " (" + missing + " does not exist)";
    assertEquals(message, Files.readString(reportFile));
    assertTrue(run.err().contains(message), run.err());
  }

  @Test
  void badArgumentsExitTwoNamingTheOption() throws Exception {
    Path root = tmp.resolve("run");
    new CheckpointLayout(root).marker("step-1", ".ready", LONG_AGO);
    Path reportFile = tmp.resolve("termination-log");

    Cli.Run regex = scan(new ScanCommand("file://" + root, "step-(", null, null, null, null, null, null, reportFile.toString()));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), regex.exitCode());
    assertTrue(Files.readString(reportFile).startsWith("--step-pattern 'step-(' is not a regular expression"),
        Files.readString(reportFile));

    Cli.Run range = scan(new ScanCommand("file://" + root, null, null, null, null, null, 9L, 3L, reportFile.toString()));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), range.exitCode());
    assertEquals("--from 9 is above --to 3: no step lies in that range", Files.readString(reportFile));
  }

  @Test
  void twoFoldersWithOneStepExitTwoNamingBoth() throws Exception {
    Path root = tmp.resolve("run");
    new CheckpointLayout(root).marker("step-100", ".ready", LONG_AGO).marker("global_step100", ".ready", LONG_AGO);
    Path reportFile = tmp.resolve("termination-log");
    Cli.Run run = scan(new ScanCommand("file://" + root, null, ".ready", null, null, null, null, null, reportFile.toString()));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode());
    String message = Files.readString(reportFile);
    assertTrue(message.startsWith("folders 'global_step100' and 'step-100' under file://" + root + " both give step 100"), message);
  }

  @Test
  void parsesExactlyWhatTheApiRenders() {
    ScanCommand command = new ScanCommand("s3://ckpts/run-1", "^iter_([0-9]+)$", ".ready", 30, 100L, 900L, 50L, 2000L,
        WorkerCommand.TERMINATION_LOG);
    CommandLine cli = ForesightCli.commandLine();
    CommandLine.ParseResult parsed = cli.parseArgs(command.toArgs().toArray(String[]::new)).subcommand();
    assertEquals(ScanCommand.SUBCOMMAND, parsed.commandSpec().name());
    ScanSubcommand scan = (ScanSubcommand) parsed.commandSpec().userObject();
    assertEquals("s3://ckpts/run-1", scan.prefix);
    assertEquals("^iter_([0-9]+)$", scan.stepPattern);
    assertEquals(".ready", scan.marker);
    assertEquals(30, scan.settleSeconds);
    assertEquals(100L, scan.above);
    assertEquals(900L, scan.below);
    assertEquals(50L, scan.from);
    assertEquals(2000L, scan.to);
    assertEquals(Path.of(WorkerCommand.TERMINATION_LOG), scan.reportFile);

    Set<String> declared = new TreeSet<>();
    parsed.commandSpec().options().forEach(o -> declared.addAll(List.of(o.names())));
    assertEquals(new TreeSet<>(List.of(ScanCommand.PREFIX, ScanCommand.STEP_PATTERN, ScanCommand.MARKER,
        ScanCommand.SETTLE_SECONDS, ScanCommand.ABOVE, ScanCommand.BELOW, ScanCommand.FROM, ScanCommand.TO,
        WorkerCommand.REPORT_FILE, "-h", "--help", "-V", "--version")), declared);

    // Only the prefix is required: the API leaves everything else out when unset.
    ScanSubcommand minimal = (ScanSubcommand) ForesightCli.commandLine()
        .parseArgs(new ScanCommand("pvc://ckpt/run", null, null, null, null, null, null, null, null).toArgs()
            .toArray(String[]::new)).subcommand().commandSpec().userObject();
    assertEquals("pvc://ckpt/run", minimal.prefix);
    assertEquals(null, minimal.marker);
  }
}
