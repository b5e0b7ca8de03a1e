package dev.foresight.api.report;

import java.util.List;

/** A termination message that is not a valid {@link EvaluationReport}; the message lists every problem found. */
public class InvalidReportException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public InvalidReportException(List<String> problems) {
    super("invalid worker report: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() { return problems; }
}
