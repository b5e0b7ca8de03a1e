package dev.foresight.controller.report;

import dev.foresight.api.report.EvaluationReport;
import dev.foresight.api.report.InvalidReportException;
import dev.foresight.api.report.ReportCodec;
import dev.foresight.api.report.TerminationMessage;
import dev.foresight.api.v1alpha1.TaskResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the worker container's termination message into results, or into the reason it cannot
 * be trusted. {@link ReportCodec} checks the report on its own (size, schema, ranges); this adds
 * what only the request knows: every task the spec asked for must be there, and nothing else.
 */
public final class ReportCheck {
  private static final Logger LOG = LoggerFactory.getLogger(ReportCheck.class);
  /** Fields of a newer worker's report, logged once per operator (indices folded: results[].x). */
  private static final Set<String> LOGGED_UNKNOWN = ConcurrentHashMap.newKeySet();

  /** What the report gives, or why it was rejected. */
  public sealed interface Outcome {}

  /**
   * @param note for the status message: what to know about the results (e.g. truncation), or null
   */
  public record Accepted(EvaluationReport report, String note) implements Outcome {}

  public record Rejected(String problem) implements Outcome {}

  private ReportCheck() {}

  /**
   * @param message the termination message; null when no terminated worker container was found
   * @param requestedTasks spec.tasks; null or empty means every task in the bundle
   */
  public static Outcome check(String message, List<String> requestedTasks) {
    if (message == null) {
      return new Rejected("the Job completed but its worker pod is gone, and with it the report");
    }
    EvaluationReport report;
    try {
      report = ReportCodec.decode(message, ReportCheck::ignored);
    } catch (InvalidReportException e) {
      // The problems quote the worker's JSON: shown as printable text only.
      return new Rejected(TerminationMessage.clip(TerminationMessage.printable(e.getMessage())));
    }
    if (requestedTasks == null || requestedTasks.isEmpty()) {
      return new Accepted(report, report.isTruncated() ? truncatedNote(report.getResults().size()) : null);
    }
    Set<String> reported = new LinkedHashSet<>();
    for (TaskResult result : report.getResults()) {
      reported.add(result.getTask());
    }
    List<String> extra = new ArrayList<>(reported);
    extra.removeAll(requestedTasks);
    if (!extra.isEmpty()) {
      return new Rejected("invalid worker report: it has results for " + extra + ", which spec.tasks did not request");
    }
    List<String> missing = new ArrayList<>(requestedTasks);
    missing.removeAll(reported);
    if (missing.isEmpty()) {
      return new Accepted(report, report.isTruncated() ? truncatedNote(reported.size()) : null);
    }
    if (!report.isTruncated()) {
      return new Rejected("invalid worker report: it lacks results for " + missing + ", which spec.tasks requested");
    }
    return new Accepted(report, "the report was truncated to fit the 4096-byte termination message: "
        + reported.size() + " of the " + requestedTasks.size() + " requested tasks are here");
  }

  private static void ignored(String field) {
    String folded = TerminationMessage.printable(field).replaceAll("\\[\\d+]", "[]");
    if (LOGGED_UNKNOWN.add(folded)) {
      LOG.warn("a worker report carries the field {}, which this operator does not know: ignored (is the"
          + " worker image newer than the operator?); said once per field", folded);
    }
  }

  private static String truncatedNote(int tasks) {
    return "the report was truncated to fit the 4096-byte termination message (" + tasks + " tasks are here)";
  }
}
