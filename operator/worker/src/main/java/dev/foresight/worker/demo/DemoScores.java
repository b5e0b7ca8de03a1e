package dev.foresight.worker.demo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.foresight.worker.scoring.Spearman;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The demo's verdict, over the later checkpoints only (never the labelled ones the probes learnt
 * from):
 * <ul>
 *   <li>AUROC: per checkpoint and task, of the per-prompt scores against the samples' outcomes;
 *       then the mean over every (checkpoint, task) where it is defined.
 *   <li>mean |Δ|: |predicted − actual| pass@1, averaged over every (checkpoint, task).
 *   <li>coverage: the share of (checkpoint, task) pairs whose actual pass@1 lies inside the probe's
 *       95% interval (bounds included); a calibrated interval covers about 95%. Its mean width
 *       beside it: covering is easy with a wide interval, useful with a narrow one.
 *   <li>Spearman: per task, across the later checkpoints, of a signal against actual pass@1; then
 *       the mean over tasks. Rank correlation needs no calibration, so the two baselines, which
 *       are not probabilities, enter as they are, negated because lower is better for both: the
 *       gold answers' bits per byte (per task) and the training loss (one per checkpoint, the
 *       same for every task). A perfect tracker scores 1 either way.
 * </ul>
 *
 * @param probes per probe family
 * @param baselines {@value #ANSWER_BITS} and {@value #TRAINING_LOSS}
 */
@JsonPropertyOrder({"probes", "baselines", "timing"})
public record DemoScores(Map<String, ProbeScore> probes, Map<String, BaselineScore> baselines, Timing timing) {
  public static final String ANSWER_BITS = "answerBitsPerByte";
  public static final String TRAINING_LOSS = "trainingLoss";

  /**
   * @param auroc null when undefined on every (checkpoint, task)
   * @param spearman null when undefined for every task (a constant series)
   * @param coverage share of (checkpoint, task) pairs whose actual pass@1 lies in the 95% interval
   * @param meanWidth the interval's mean width (high − low) over those pairs
   * @param probeSeconds mean time of this family's probe path per checkpoint
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"auroc", "meanAbsError", "spearman", "spearmanByTask", "coverage", "meanWidth", "probeSeconds"})
  public record ProbeScore(Double auroc, double meanAbsError, Double spearman, Map<String, Double> spearmanByTask,
      double coverage, double meanWidth, double probeSeconds) {}

  /** @param auroc per prompt where the baseline has a per-prompt value (bits per byte), else null */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"auroc", "spearman", "spearmanByTask"})
  public record BaselineScore(Double auroc, Double spearman, Map<String, Double> spearmanByTask) {}

  /**
   * Means per later checkpoint, model loading (the same for both paths) apart.
   *
   * @param family the probe family timed
   * @param generativeSeconds null when no later checkpoint's generation was timed
   * @param ratio generative ÷ probe
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Timing(String family, double loadSeconds, double probeSeconds, Double generativeSeconds, Double ratio) {}

  /**
   * @param later the later checkpoints, oldest first
   * @param family the probe family whose path is timed
   */
  public static DemoScores of(List<CheckpointPoint> later, List<String> tasks, List<String> families, String family) {
    Map<String, ProbeScore> probes = new LinkedHashMap<>();
    for (String f : families) {
      List<Double> aurocs = new ArrayList<>();
      List<Double> errors = new ArrayList<>();
      List<Double> covered = new ArrayList<>();
      List<Double> widths = new ArrayList<>();
      for (CheckpointPoint c : later) {
        for (CheckpointPoint.TaskPoint t : c.tasks().values()) {
          CheckpointPoint.Prediction p = t.predicted().get(f);
          if (p.auroc() != null) {
            aurocs.add(p.auroc());
          }
          errors.add(p.error());
          covered.add(p.low() <= t.actualPassAt1() && t.actualPassAt1() <= p.high() ? 1.0 : 0.0);
          widths.add(p.high() - p.low());
        }
      }
      Map<String, Double> spearman = spearmanByTask(later, tasks, (c, task) -> c.tasks().get(task).predicted().get(f).passAt1());
      probes.put(f, new ProbeScore(mean(aurocs), mean(errors), mean(spearman.values()), spearman, mean(covered), mean(widths),
          later.stream().mapToDouble(c -> c.probeSeconds().get(f)).average().orElse(Double.NaN)));
    }

    Map<String, BaselineScore> baselines = new LinkedHashMap<>();
    List<Double> bitsAurocs = new ArrayList<>();
    later.forEach(c -> c.tasks().values().forEach(t -> {
      if (t.answerBitsAuroc() != null) {
        bitsAurocs.add(t.answerBitsAuroc());
      }
    }));
    Map<String, Double> bits = spearmanByTask(later, tasks, (c, task) -> -c.tasks().get(task).answerBitsPerByte());
    baselines.put(ANSWER_BITS, new BaselineScore(mean(bitsAurocs), mean(bits.values()), bits));
    if (later.stream().allMatch(c -> c.trainingLoss() != null)) {
      Map<String, Double> loss = spearmanByTask(later, tasks, (c, task) -> -c.trainingLoss());
      baselines.put(TRAINING_LOSS, new BaselineScore(null, mean(loss.values()), loss));
    }

    double load = later.stream().mapToDouble(CheckpointPoint::loadSeconds).average().orElse(Double.NaN);
    double probe = probes.get(family).probeSeconds();
    OptionalDouble generative = later.stream().filter(c -> c.generativeSeconds() != null)
        .mapToDouble(CheckpointPoint::generativeSeconds).average();
    Double gen = generative.isPresent() ? generative.getAsDouble() : null;
    return new DemoScores(probes, baselines, new Timing(family, load, probe, gen, gen == null ? null : gen / probe));
  }

  private interface Signal {
    double of(CheckpointPoint checkpoint, String task);
  }

  /** Per task, Spearman across checkpoints of {@code signal} against actual pass@1; undefined ones left out. */
  private static Map<String, Double> spearmanByTask(List<CheckpointPoint> later, List<String> tasks, Signal signal) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String task : tasks) {
      double[] x = later.stream().mapToDouble(c -> signal.of(c, task)).toArray();
      double[] y = later.stream().mapToDouble(c -> c.tasks().get(task).actualPassAt1()).toArray();
      Spearman.of(x, y).ifPresent(r -> out.put(task, r));
    }
    return out;
  }

  private static Double mean(java.util.Collection<Double> values) {
    return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
