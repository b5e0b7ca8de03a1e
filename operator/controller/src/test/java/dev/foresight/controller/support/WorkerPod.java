package dev.foresight.controller.support;

import dev.foresight.api.worker.ScanCommand;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.worker.cli.ForesightCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * What a worker pod does with its arguments: the real {@code foresight} command, run in the test's
 * process, its report written to a temporary file in place of the termination log when the command
 * takes one (named in the arguments, or used unasked as the training stages do). The exit code and
 * the termination message come back as the kubelet would report them (FallbackToLogsOnError: the
 * log's tail when the command wrote no message), with the whole log.
 */
public final class WorkerPod {
  /** How the pod ended: its exit code, termination message and log (stdout and stderr together). */
  public record Result(int exitCode, String message, String log) {}

  private WorkerPod() {}

  /**
   * A scan pod over {@code root}, the local folder its prefix stands for.
   *
   * @param args the scan Job's container arguments
   */
  public static Result scan(List<String> args, Path root) {
    List<String> local = new ArrayList<>(args);
    local.set(local.indexOf(ScanCommand.PREFIX) + 1, "file://" + root.toAbsolutePath());
    return run(local);
  }

  /** Any worker pod, its arguments as the Job's container has them (local paths already swapped in). */
  public static Result run(List<String> args) {
    List<String> local = new ArrayList<>(args);
    try {
      Path report = Files.createTempFile("termination-log", ".json");
      try {
        CommandLine cli = ForesightCli.commandLine();
        int reportAt = local.indexOf(WorkerCommand.REPORT_FILE);
        if (reportAt >= 0) {
          local.set(reportAt + 1, report.toString());
        } else if (takesReportFile(cli, local)) {
          // In a pod such a command writes /dev/termination-log unasked; here that file is absent.
          local.addAll(List.of(WorkerCommand.REPORT_FILE, report.toString()));
        }
        StringWriter log = new StringWriter();
        cli.setOut(new PrintWriter(log, true));
        cli.setErr(new PrintWriter(log, true));
        int code = cli.execute(local.toArray(String[]::new));
        String message = Files.readString(report);
        return new Result(code, message.isEmpty() && code != 0 ? log.toString() : message, log.toString());
      } finally {
        Files.deleteIfExists(report);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the (sub)command the leading arguments name has a --report-file option. */
  private static boolean takesReportFile(CommandLine cli, List<String> args) {
    CommandLine command = cli;
    for (String arg : args) {
      CommandLine sub = command.getSubcommands().get(arg);
      if (sub == null) {
        break;
      }
      command = sub;
    }
    return command.getCommandSpec().findOption(WorkerCommand.REPORT_FILE) != null;
  }
}
