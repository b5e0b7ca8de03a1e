package dev.foresight.api.training;

import dev.foresight.api.report.InvalidReportException;
import dev.foresight.api.report.StrictJson;
import dev.foresight.api.report.TerminationMessage;
import dev.foresight.api.v1alpha1.FamilyMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes and reads the training stages' termination messages ({@link CheckReport},
 * {@link TrainingReport}); the reader trusts nothing ({@link StrictJson}, then ranges), the writer
 * always fits {@link TerminationMessage#MAX_BYTES} (it drops held-out steps, then task names).
 */
public final class TrainingReports {
  public static final int MAX_FAMILIES = 4;

  private TrainingReports() {}

  public static String encode(CheckReport r) {
    CheckReport out = r;
    String json = StrictJson.write(out, "training stage report");
    while (!TerminationMessage.fits(json) && out.tasks() != null && !out.tasks().isEmpty()) {
      out = new CheckReport(out.v(), out.checkpoints(), out.firstStep(), out.lastStep(), out.promptsPerCheckpoint(),
          out.tasks().subList(0, out.tasks().size() - 1), out.architecture(), out.tokenizer(), out.bundle());
      json = StrictJson.write(out, "training stage report");
    }
    return json;
  }

  public static String encode(TrainingReport r) {
    TrainingReport out = r;
    String json = StrictJson.write(out, "training stage report");
    while (!TerminationMessage.fits(json) && out.heldOutSteps() != null && !out.heldOutSteps().isEmpty()) {
      out = new TrainingReport(out.v(), out.families(), out.chosen(), out.uri(), out.fingerprint(),
          out.heldOutSteps().subList(0, out.heldOutSteps().size() - 1));
      json = StrictJson.write(out, "training stage report");
    }
    return json;
  }

  public static CheckReport decodeCheck(String message, Consumer<String> ignoredField) throws InvalidReportException {
    CheckReport r = StrictJson.read(message, "training check report", CheckReport.CURRENT_VERSION, CheckReport.class,
        ignoredField);
    List<String> problems = new ArrayList<>();
    if (r.checkpoints() < 1) {
      problems.add("checkpoints: must be at least 1, got " + r.checkpoints());
    }
    if (r.promptsPerCheckpoint() < 1) {
      problems.add("promptsPerCheckpoint: must be at least 1, got " + r.promptsPerCheckpoint());
    }
    if (r.firstStep() < 0 || r.lastStep() < r.firstStep()) {
      problems.add("firstStep/lastStep: " + r.firstStep() + ".." + r.lastStep() + " is not a step range");
    }
    if (!List.of(CheckReport.BUNDLE_ABSENT, CheckReport.BUNDLE_SAME, CheckReport.BUNDLE_REPLACE).contains(r.bundle())) {
      problems.add("bundle: must be absent, same or replace, got " + r.bundle());
    }
    return checked("training check report", r, problems);
  }

  public static TrainingReport decodeTraining(String message, Consumer<String> ignoredField) throws InvalidReportException {
    TrainingReport r = StrictJson.read(message, "training report", TrainingReport.CURRENT_VERSION, TrainingReport.class,
        ignoredField);
    List<String> problems = new ArrayList<>();
    if (r.families() == null || r.families().isEmpty() || r.families().size() > MAX_FAMILIES) {
      problems.add("families: must hold 1 to " + MAX_FAMILIES + " families");
    } else {
      for (int i = 0; i < r.families().size(); i++) {
        FamilyMetrics m = r.families().get(i);
        inUnit(problems, "families[" + i + "].auroc", m.getAuroc());
        inUnit(problems, "families[" + i + "].calibrationError", m.getCalibrationError());
        inUnit(problems, "families[" + i + "].checkpointAbsError", m.getCheckpointAbsError());
      }
      if (r.families().stream().noneMatch(f -> f.getFamily() != null && f.getFamily().equals(r.chosen()))) {
        problems.add("chosen: " + r.chosen() + " is not one of the families reported");
      }
    }
    if (r.uri() == null || r.uri().isBlank()) {
      problems.add("uri: missing");
    }
    if (r.fingerprint() == null || r.fingerprint().isBlank()) {
      problems.add("fingerprint: missing");
    }
    return checked("training report", r, problems);
  }

  private static void inUnit(List<String> problems, String field, Double value) {
    if (value != null && !(value >= 0 && value <= 1)) {
      problems.add(field + ": must be in [0, 1], got " + value);
    }
  }

  private static <T> T checked(String what, T report, List<String> problems) throws InvalidReportException {
    if (!problems.isEmpty()) {
      throw new InvalidReportException(problems.stream().map(p -> what + ": " + p).toList());
    }
    return report;
  }

}
