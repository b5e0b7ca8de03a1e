package dev.foresight.worker.demo;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's terminal output: the table (checkpoint × task: the chosen probe's predicted pass@1
 * with its interval, actual pass@1, the error, the probe's AUROC, the two baselines) and the
 * summary over the later checkpoints (every family beside the baselines, and the time of both
 * paths).
 */
public final class DemoTable {
  /** Marks the rows of labelled checkpoints, whose predictions are in-sample. */
  public static final String LABELLED_MARK = "*";

  private DemoTable() {}

  public static String render(DemoResult r) {
    StringBuilder sb = new StringBuilder();
    String family = r.family();
    sb.append(String.format(Locale.ROOT, "%-7s %-5s %9s %16s %7s %7s %6s %8s %8s%n", "step", "task",
        "predicted", "95% interval", "actual", "|Δ|", "AUROC", "ans bpb", "tr loss"));
    for (CheckpointPoint c : r.checkpoints()) {
      for (Map.Entry<String, CheckpointPoint.TaskPoint> e : c.tasks().entrySet()) {
        CheckpointPoint.TaskPoint t = e.getValue();
        CheckpointPoint.Prediction p = t.predicted().get(family);
        sb.append(String.format(Locale.ROOT, "%-7s %-5s %9.3f %16s %7.3f %7.3f %6s %8.3f %8s%n",
            c.step() + (c.labelled() ? LABELLED_MARK : ""), e.getKey(), p.passAt1(),
            String.format(Locale.ROOT, "[%.3f, %.3f]", p.low(), p.high()), t.actualPassAt1(), p.error(),
            p.auroc() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", p.auroc()), t.answerBitsPerByte(),
            c.trainingLoss() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", c.trainingLoss())));
      }
    }
    sb.append(String.format(Locale.ROOT, "%s labelled: the probes were trained on these checkpoints (in-sample, not scored)."
        + " Probe: %s.%n", LABELLED_MARK, family));
    return sb.toString();
  }

  public static String summary(DemoResult r) {
    List<CheckpointPoint> later = r.later();
    DemoScores s = r.scores();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Later checkpoints (steps %d to %d: %d checkpoint%s × %d tasks), against"
        + " generation:%n", later.get(0).step(), later.get(later.size() - 1).step(), later.size(),
        later.size() == 1 ? "" : "s", r.tasks().size()));
    sb.append(String.format(Locale.ROOT, "  %-26s %7s %9s %9s %9s %6s%n", "", "AUROC", "mean |Δ|", "Spearman", "95% cover",
        "width"));
    s.probes().forEach((f, p) -> sb.append(String.format(Locale.ROOT, "  %-26s %7s %9.3f %9s %9.3f %6.3f%n",
        "probe " + f + (f.equals(r.family()) ? " (bundle)" : ""), number(p.auroc()), p.meanAbsError(), number(p.spearman()),
        p.coverage(), p.meanWidth())));
    DemoScores.BaselineScore bits = s.baselines().get(DemoScores.ANSWER_BITS);
    sb.append(String.format(Locale.ROOT, "  %-26s %7s %9s %9s%n", "answer bits per byte", number(bits.auroc()), "—",
        number(bits.spearman())));
    DemoScores.BaselineScore loss = s.baselines().get(DemoScores.TRAINING_LOSS);
    if (loss != null) {
      sb.append(String.format(Locale.ROOT, "  %-26s %7s %9s %9s%n", "training loss", "—", "—", number(loss.spearman())));
    }
    sb.append("  AUROC: per checkpoint and task, mean; Spearman: per task across checkpoints, mean (baselines negated:"
        + " lower is better); 95% cover: share of (checkpoint, task) whose actual pass@1 is inside the interval, width: its"
        + " mean width.\n");
    DemoScores.Timing t = s.timing();
    if (t.generativeSeconds() != null) {
      sb.append(String.format(Locale.ROOT, "Time per checkpoint: probe path (%s) %.3f s, generative path (%d samples)"
          + " %.2f s: %.0f× faster (loading, %.3f s, is the same for both)%n", t.family(), t.probeSeconds(),
          r.plan().world().labelling().samples(), t.generativeSeconds(), t.ratio(), t.loadSeconds()));
    } else {
      sb.append(String.format(Locale.ROOT, "Time per checkpoint: probe path (%s) %.3f s; the generative path was not"
          + " timed (labels made by an older run)%n", t.family(), t.probeSeconds()));
    }
    return sb.toString();
  }

  /** Three decimals, or n/a for an undefined score. */
  public static String number(Double value) {
    return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
  }
}
