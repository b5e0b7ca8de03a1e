package dev.foresight.api.report;

import dev.foresight.api.v1alpha1.CheckpointSummary;
import dev.foresight.api.v1alpha1.Latency;
import dev.foresight.api.v1alpha1.ProbeEvaluationSpec;
import dev.foresight.api.v1alpha1.TaskResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Writes and reads {@link EvaluationReport}s. The writer always produces valid JSON of at most
 * {@link TerminationMessage#MAX_BYTES}: numbers are rounded, and if the report is still too large,
 * optional fields and then trailing tasks are dropped and {@code truncated} is set. The reader
 * trusts nothing: {@link StrictJson}'s checks (size, version, JSON types, compatibility), then every
 * number finite and in range.
 */
public final class ReportCodec {

  private static final Pattern TASK_NAME = Pattern.compile(ProbeEvaluationSpec.TASK_NAME_PATTERN);
  private static final int MAX_TASKS = 64;
  private static final int MAX_LABEL = 128;
  /** A week: no stage of one evaluation takes longer, so a bigger number is garbage. */
  private static final double MAX_SECONDS = 7 * 24 * 3600;
  private static final double MAX_BITS_PER_BYTE = 64;

  private ReportCodec() {}

  /** Serializes {@code report}, shrinking it as described above until it fits. Does not modify the argument. */
  public static String encode(EvaluationReport report) {
    EvaluationReport r = roundedCopy(report);
    String json = write(r);
    // Each step gives up less useful information than the next.
    List<Consumer<TaskResult>> drops = List.of(
        t -> t.setAnswerBitsPerByte(null),
        t -> t.setCi95(null));
    for (Consumer<TaskResult> drop : drops) {
      if (TerminationMessage.fits(json)) {
        return json;
      }
      r.getResults().forEach(drop);
      r.setTruncated(true);
      json = write(r);
    }
    while (!TerminationMessage.fits(json) && r.getResults().size() > 1) {
      r.getResults().remove(r.getResults().size() - 1);
      json = write(r);
    }
    if (!TerminationMessage.fits(json)) {
      r.setCheckpoint(null);
      json = write(r);
    }
    return json;
  }

  private static String write(EvaluationReport r) {
    return StrictJson.write(r, "report");
  }

  private static EvaluationReport roundedCopy(EvaluationReport in) {
    EvaluationReport out = new EvaluationReport();
    out.setV(in.getV());
    out.setTruncated(in.getTruncated());
    if (in.getCheckpoint() != null) {
      CheckpointSummary c = in.getCheckpoint();
      out.setCheckpoint(new CheckpointSummary(c.getFingerprint(), c.getArchitecture(), c.getParameters()));
    }
    List<TaskResult> results = new ArrayList<>();
    for (TaskResult t : in.getResults() == null ? List.<TaskResult>of() : in.getResults()) {
      TaskResult c = new TaskResult(t.getTask(), round(t.getPredictedPassAt1(), 4),
          t.getCi95() == null ? null : t.getCi95().stream().map(x -> round(x, 4)).toList(), t.getPrompts());
      c.setAnswerBitsPerByte(round(t.getAnswerBitsPerByte(), 4));
      c.setActualPassAt1(round(t.getActualPassAt1(), 4));
      results.add(c);
    }
    out.setResults(results);
    if (in.getLatency() != null) {
      Latency l = in.getLatency();
      Latency c = new Latency();
      c.setLoadSeconds(round(l.getLoadSeconds(), 3));
      c.setForwardSeconds(round(l.getForwardSeconds(), 3));
      c.setProbeSeconds(round(l.getProbeSeconds(), 3));
      c.setGenerativeSeconds(round(l.getGenerativeSeconds(), 3));
      out.setLatency(c);
    }
    return out;
  }

  private static Double round(Double x, int decimals) {
    if (x == null || !Double.isFinite(x)) {
      return x;
    }
    double scale = Math.pow(10, decimals);
    return Math.round(x * scale) / scale;
  }

  /** As {@link #decode(String, Consumer)}, ignoring unknown fields silently. */
  public static EvaluationReport decode(String message) throws InvalidReportException {
    return decode(message, field -> { });
  }

  /**
   * Parses and checks a termination message.
   *
   * @param ignoredField told the path (e.g. {@code results[0].confidence}) of each field of this
   *     version that this reader does not know and skipped
   * @throws InvalidReportException naming every problem: oversize, malformed JSON, newer or missing
   *     version, a value of the wrong JSON type, missing field, number out of range, duplicate task
   */
  public static EvaluationReport decode(String message, Consumer<String> ignoredField) throws InvalidReportException {
    EvaluationReport report = StrictJson.read(message, "report", EvaluationReport.CURRENT_VERSION,
        EvaluationReport.class, ignoredField);
    List<String> problems = new ArrayList<>();
    check(report, problems);
    if (!problems.isEmpty()) {
      throw new InvalidReportException(problems);
    }
    return report;
  }

  private static void check(EvaluationReport r, List<String> problems) {
    if (r.getV() == null || r.getV() != EvaluationReport.CURRENT_VERSION) {
      problems.add("v is " + r.getV() + ", expected " + EvaluationReport.CURRENT_VERSION);
    }
    List<TaskResult> results = r.getResults();
    if (results == null || results.isEmpty()) {
      problems.add("results is empty");
    } else if (results.size() > MAX_TASKS) {
      problems.add("results has " + results.size() + " tasks, more than " + MAX_TASKS);
    } else {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < results.size(); i++) {
        checkResult("results[" + i + "]", results.get(i), seen, problems);
      }
    }
    CheckpointSummary c = r.getCheckpoint();
    if (c != null) {
      checkLabel("checkpoint.fingerprint", c.getFingerprint(), problems);
      checkLabel("checkpoint.architecture", c.getArchitecture(), problems);
      if (c.getParameters() != null && c.getParameters() < 0) {
        problems.add("checkpoint.parameters is negative");
      }
    }
    Latency l = r.getLatency();
    if (l != null) {
      checkRange("latency.loadSeconds", l.getLoadSeconds(), 0, MAX_SECONDS, false, problems);
      checkRange("latency.forwardSeconds", l.getForwardSeconds(), 0, MAX_SECONDS, false, problems);
      checkRange("latency.probeSeconds", l.getProbeSeconds(), 0, MAX_SECONDS, false, problems);
      checkRange("latency.generativeSeconds", l.getGenerativeSeconds(), 0, MAX_SECONDS, false, problems);
      if (l.getTotalSeconds() != null || l.getQueuedSeconds() != null) {
        problems.add("latency.totalSeconds and latency.queuedSeconds are the controller's to measure");
      }
    }
  }

  private static void checkResult(String at, TaskResult t, Set<String> seen, List<String> problems) {
    if (t == null) {
      problems.add(at + " is null");
      return;
    }
    if (t.getTask() == null || !TASK_NAME.matcher(t.getTask()).matches()) {
      problems.add(at + ".task '" + t.getTask() + "' is not a valid task name");
    } else if (!seen.add(t.getTask())) {
      problems.add(at + ".task '" + t.getTask() + "' appears twice");
    }
    checkRange(at + ".predictedPassAt1", t.getPredictedPassAt1(), 0, 1, true, problems);
    checkRange(at + ".actualPassAt1", t.getActualPassAt1(), 0, 1, false, problems);
    checkRange(at + ".answerBitsPerByte", t.getAnswerBitsPerByte(), 0, MAX_BITS_PER_BYTE, false, problems);
    if (t.getPrompts() == null || t.getPrompts() < 1) {
      problems.add(at + ".prompts must be at least 1, got " + t.getPrompts());
    }
    List<Double> ci = t.getCi95();
    if (ci != null) {
      if (ci.size() != 2) {
        problems.add(at + ".ci95 must have 2 numbers, got " + ci.size());
      } else {
        checkRange(at + ".ci95[0]", ci.get(0), 0, 1, true, problems);
        checkRange(at + ".ci95[1]", ci.get(1), 0, 1, true, problems);
        if (ci.get(0) != null && ci.get(1) != null && ci.get(0) > ci.get(1)) {
          problems.add(at + ".ci95 is reversed: " + ci);
        }
      }
    }
  }

  private static void checkLabel(String at, String value, List<String> problems) {
    if (value != null && (value.length() > MAX_LABEL || value.chars().anyMatch(Character::isISOControl))) {
      problems.add(at + " must be at most " + MAX_LABEL + " printable characters");
    }
  }

  private static void checkRange(String at, Double x, double lo, double hi, boolean required, List<String> problems) {
    if (x == null) {
      if (required) {
        problems.add(at + " is missing");
      }
    } else if (!Double.isFinite(x) || x < lo || x > hi) {
      problems.add(at + " = " + x + " is outside [" + lo + ", " + hi + "]");
    }
  }
}
