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
 * What a scan pod does with its arguments: the real {@code foresight scan}, run in the test's
 * process over a local folder standing for the prefix, its report written to a temporary file in
 * place of the termination log. The exit code and the termination message come back as the
 * kubelet would report them (FallbackToLogsOnError: the log's tail when the scan wrote no message).
 */
public final class ScanPod {
  /** How the scan ended: its exit code and termination message. */
  public record Result(int exitCode, String message) {}

  private ScanPod() {}

  /**
   * @param args the scan Job's container arguments
   * @param root the local folder the prefix stands for
   */
  public static Result run(List<String> args, Path root) {
    List<String> local = new ArrayList<>(args);
    try {
      Path report = Files.createTempFile("termination-log", ".json");
      try {
        local.set(local.indexOf(ScanCommand.PREFIX) + 1, "file://" + root.toAbsolutePath());
        local.set(local.indexOf(WorkerCommand.REPORT_FILE) + 1, report.toString());
        StringWriter log = new StringWriter();
        CommandLine cli = ForesightCli.commandLine();
        cli.setOut(new PrintWriter(log, true));
        cli.setErr(new PrintWriter(log, true));
        int code = cli.execute(local.toArray(String[]::new));
        String message = Files.readString(report);
        return new Result(code, message.isEmpty() && code != 0 ? log.toString() : message);
      } finally {
        Files.deleteIfExists(report);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
