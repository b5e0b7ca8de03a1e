package dev.foresight.worker.report;

import dev.foresight.api.report.EvaluationReport;
import dev.foresight.api.report.ReportCodec;
import dev.foresight.api.report.TerminationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --report-file} (in the pod: {@code /dev/termination-log}, which Kubernetes reads up
 * to 4096 bytes): the encoded {@link EvaluationReport} on success, the error message on failure.
 * The controller tells the two apart by the exit code.
 */
public final class ReportFile {
  private ReportFile() {}

  /** Writes the report, shrunk by {@link ReportCodec#encode} to fit 4096 bytes; returns what was written. */
  public static String writeReport(Path file, EvaluationReport report) throws IOException {
    String json = ReportCodec.encode(report);
    write(file, json);
    return json;
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
