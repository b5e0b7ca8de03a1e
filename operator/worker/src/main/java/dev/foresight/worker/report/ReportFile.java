package dev.foresight.worker.report;

import dev.foresight.api.report.EvaluationReport;
import dev.foresight.api.report.ReportCodec;
import dev.foresight.api.report.TerminationMessage;
import dev.foresight.api.scan.ScanCodec;
import dev.foresight.api.scan.ScanReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The {@code --report-file} (in the pod: {@code /dev/termination-log}, which Kubernetes reads up
 * to 4096 bytes): the encoded {@link EvaluationReport} (or, for a scan, {@link ScanReport}) on
 * success, the error message on failure. The controller tells the two apart by the exit code.
 */
public final class ReportFile {
  private ReportFile() {}

  /** Writes the report, shrunk by {@link ReportCodec#encode} to fit 4096 bytes; returns what was written. */
  public static String writeReport(Path file, EvaluationReport report) throws IOException {
    String json = ReportCodec.encode(report);
    write(file, json);
    return json;
  }

  /** Writes the scan's report, shrunk by {@link ScanCodec#encode} to fit 4096 bytes; returns what was written. */
  public static String writeReport(Path file, ScanReport report) throws IOException {
    String json = ScanCodec.encode(report);
    write(file, json);
    return json;
  }

  /** Writes a report already encoded to fit (the training stages' {@code TrainingReports.encode}). */
  public static void writeText(Path file, String json) throws IOException {
    write(file, json);
  }

  /**
   * Runs a command's work; if it fails, writes its message to {@code file} (when there is one)
   * before passing the failure on, so the controller can show why.
   */
  public static <T> T orFailure(Path file, Callable<T> work) throws Exception {
    try {
      return work.call();
    } catch (Exception | Error e) {
      if (file != null) {
        writeFailure(file, e.getMessage() == null ? e.toString() : e.getMessage());
      }
      throw e;
    }
  }

  /** Writes {@code message}, clipped to 4096 bytes without splitting a character. */
  public static void writeFailure(Path file, String message) throws IOException {
    write(file, TerminationMessage.clip(message == null || message.isBlank() ? "worker failed without a message" : message));
  }

  private static void write(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
