package dev.foresight.worker.scoring;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * How far a probe's predicted pass@1 strays from a generative evaluation's on data the probe did
 * not fit, split into the parts that {@link PassAt1Interval} needs, each with the sampling noise
 * of the labels taken out (standard deviations, in pass@1 units):
 *
 * <ul>
 *   <li>{@link #bias}: the checkpoint-level error, shared by every prompt of a (checkpoint, task),
 *       which no number of prompts averages away. Two kinds of held-out data measure it: the
 *       held-out prompts of every labelled checkpoint scored by the bundle's head
 *       ({@code heldOutPromptsBias}, over {@code heldOutPrompts} prompt rows), and the newest
 *       labelled checkpoint's every prompt scored by a head trained alike without that checkpoint
 *       ({@code newestCheckpointBias}, over {@code newestCheckpointPrompts}; absent when the probe
 *       was trained on one checkpoint). The bias is the larger of the two. The second is the
 *       closest rehearsal of what the bundle faces, a later checkpoint whose states it never saw,
 *       and measured the later checkpoints' error where the first could not (on the demo's
 *       development worlds the held-out prompts showed about 0 while later checkpoints missed by
 *       0.01 to 0.07: docs/demo.md, Choices); the first is a floor, and the only measurement for a
 *       bundle trained on one checkpoint.
 *   <li>{@code scatter}: the per-prompt error around that shared part; over n prompts it adds
 *       scatter² / n.
 * </ul>
 *
 * <p>Per (checkpoint, task) pair of m prompts with predictions p_i and observed pass rates y_i
 * (k_i samples each), r_i = p_i − y_i, d = mean r_i and S² = their sample variance. With b the
 * pair's shared error, s² the per-prompt scatter and σ_i² = q_i(1 − q_i)/k_i the sampling noise,
 * E[S²] = s² + mean σ_i² and E[d²] = b² + (s² + mean σ_i²)/m, so d² − S²/m estimates b² and
 * S² − mean σ̂_i² estimates s², with σ̂_i² = y_i(1 − y_i)/(k_i − 1) unbiased for σ_i² (the
 * prediction stands in for q_i where k_i = 1). Each kind averages over its pairs, weighted by
 * prompts, floored at 0.
 *
 * @param heldOutPromptsBias the shared error seen on held-out prompts of the labelled checkpoints
 * @param heldOutPrompts the prompt rows behind it
 * @param newestCheckpointBias the shared error seen on the newest labelled checkpoint by a head trained without it
 * @param newestCheckpointPrompts the prompt rows behind it (null with newestCheckpointBias)
 * @param scatter per-prompt error (standard deviation), over both kinds
 * @param samplesPerPrompt samples per prompt of the labels: the generative evaluation the interval stands for
 * @param newestCheckpointMiss the rehearsal's raw checkpoint-level miss: the root mean square over tasks of
 *     its mean residual d, sampling noise left in. One checkpoint's error is one draw: where the probe
 *     nearly hit it, d² − S²/m is 0 as often as not, and an interval of 0 bias was then half as wide as
 *     the later checkpoints' misses (docs/demo.md, "Choices"). Null in bundles written before it existed
 * @param newestStep the newest labelled checkpoint's training step, which the rehearsal was scored on
 * @param previousStep the step of the labelled checkpoint before it, the newest the rehearsal's head saw;
 *     with {@code newestStep} they set how fast the bias grows with a later checkpoint's distance
 *     ({@link #growth}). Null when a step is unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = "bias", allowGetters = true)
@JsonPropertyOrder({"bias", "scatter", "samplesPerPrompt", "heldOutPromptsBias", "heldOutPrompts",
    "newestCheckpointBias", "newestCheckpointPrompts", "newestCheckpointMiss", "newestStep", "previousStep"})
public record CheckpointError(double heldOutPromptsBias, int heldOutPrompts, Double newestCheckpointBias,
    Integer newestCheckpointPrompts, double scatter, int samplesPerPrompt, Double newestCheckpointMiss,
    Long newestStep, Long previousStep) {

  public CheckpointError(double heldOutPromptsBias, int heldOutPrompts, Double newestCheckpointBias,
      Integer newestCheckpointPrompts, double scatter, int samplesPerPrompt) {
    this(heldOutPromptsBias, heldOutPrompts, newestCheckpointBias, newestCheckpointPrompts, scatter, samplesPerPrompt,
        null, null, null);
  }

  public CheckpointError {
    boolean newestOk = newestCheckpointBias == null ? newestCheckpointPrompts == null
        : newestCheckpointBias >= 0 && newestCheckpointPrompts != null && newestCheckpointPrompts > 0;
    if (!(heldOutPromptsBias >= 0) || heldOutPrompts < 1 || !newestOk || !(scatter >= 0) || samplesPerPrompt < 1) {
      throw new IllegalArgumentException("checkpointError: biases and scatter must be >= 0, prompt counts and"
          + " samplesPerPrompt >= 1, newestCheckpointBias and newestCheckpointPrompts both given or both absent; got "
          + heldOutPromptsBias + ", " + heldOutPrompts + ", " + newestCheckpointBias + ", " + newestCheckpointPrompts
          + ", " + scatter + ", " + samplesPerPrompt);
    }
    if (newestCheckpointMiss != null && (!(newestCheckpointMiss >= 0) || newestCheckpointBias == null)) {
      throw new IllegalArgumentException("checkpointError: newestCheckpointMiss must be >= 0, beside newestCheckpointBias;"
          + " got " + newestCheckpointMiss);
    }
    if ((newestStep == null) != (previousStep == null) || newestStep != null && !(newestStep > previousStep && previousStep > 0)) {
      throw new IllegalArgumentException("checkpointError: newestStep and previousStep are both given, with newestStep >"
          + " previousStep > 0, or both absent; got " + newestStep + ", " + previousStep);
    }
  }

  /**
   * The checkpoint-level error: the larger of the two measurements (class comment). Derived, not
   * stored, so a bundle keeps its measurements whatever rule reads them.
   */
  @JsonProperty("bias")
  public double bias() {
    double b = newestCheckpointBias == null ? heldOutPromptsBias : Math.max(heldOutPromptsBias, newestCheckpointBias);
    return newestCheckpointMiss == null ? b : Math.max(b, newestCheckpointMiss);
  }

  /** The probe's own error variance on a pass@1 over {@code prompts} prompts. */
  public double variance(int prompts) {
    return variance(prompts, null);
  }

  /**
   * The probe's own error variance on a pass@1 over {@code prompts} prompts of the checkpoint at training
   * {@code step} (null when unknown): the bias grown by {@link #growth}.
   */
  public double variance(int prompts, Long step) {
    double b = bias() * growth(step);
    return b * b + scatter * scatter / prompts;
  }

  /**
   * How much larger the bias is on a checkpoint at {@code step} than on the rehearsal's: 1 up to the
   * newest labelled step, then √(ln(step / newest) / ln(newest / previous)). The rehearsal measured
   * the miss one labelled interval ahead (previous → newest, in log-steps); a later checkpoint lies
   * further ahead, and a drift that adds independent errors as training goes on (a random walk) grows
   * its variance with the distance. 1 when a step is unknown. On the development worlds the linear
   * growth over-covered (0.99 at 1.6 times the width) and none under-covered (docs/demo.md, "Choices").
   */
  public double growth(Long step) {
    if (step == null || newestStep == null || step <= newestStep) {
      return 1;
    }
    double ahead = Math.log((double) step / newestStep) / Math.log((double) newestStep / previousStep);
    return Math.sqrt(Math.max(1, ahead));
  }

  /**
   * @param heldOutPrompts one pair per (labelled checkpoint, task): held-out prompts scored by the bundle's probe
   * @param newestCheckpoint one pair per task: every prompt of the newest labelled checkpoint scored by a probe
   *     trained without that checkpoint; empty when there was only one
   */
  public static CheckpointError estimate(List<Pair> heldOutPrompts, List<Pair> newestCheckpoint) {
    return estimate(heldOutPrompts, newestCheckpoint, null, null);
  }

  /**
   * {@link #estimate(List, List)} for a rehearsal on the newest labelled checkpoint at {@code newestStep}
   * by a head that saw checkpoints up to {@code previousStep} (both null when unknown).
   */
  public static CheckpointError estimate(List<Pair> heldOutPrompts, List<Pair> newestCheckpoint, Long newestStep,
      Long previousStep) {
    if (heldOutPrompts.isEmpty()) {
      throw new IllegalArgumentException("no held-out (checkpoint, task) pairs to estimate the probe's error from");
    }
    List<Pair> all = new ArrayList<>(heldOutPrompts);
    all.addAll(newestCheckpoint);
    double scatter = Math.sqrt(Math.max(0, weighted(all, Pair::scatterSquare)));
    int samples = (int) Math.round(all.stream().mapToDouble(p -> p.meanSamples() * p.prompts()).sum() / prompts(all));
    return new CheckpointError(Math.sqrt(Math.max(0, weighted(heldOutPrompts, Pair::sharedSquare))), prompts(heldOutPrompts),
        newestCheckpoint.isEmpty() ? null : Math.sqrt(Math.max(0, weighted(newestCheckpoint, Pair::sharedSquare))),
        newestCheckpoint.isEmpty() ? null : prompts(newestCheckpoint), scatter, samples,
        newestCheckpoint.isEmpty() ? null : Math.sqrt(weighted(newestCheckpoint, Pair::missSquare)),
        newestCheckpoint.isEmpty() ? null : newestStep, newestCheckpoint.isEmpty() ? null : previousStep);
  }

  /** The mean of {@code value} over pairs, each weighted by its prompts. */
  private static double weighted(List<Pair> pairs, ToDoubleFunction<Pair> value) {
    return pairs.stream().mapToDouble(p -> p.prompts() * value.applyAsDouble(p)).sum() / prompts(pairs);
  }

  private static int prompts(List<Pair> pairs) {
    return pairs.stream().mapToInt(Pair::prompts).sum();
  }

  /** One (checkpoint, task): the probe's per-prompt predictions on prompts it did not fit, and what generation found. */
  public record Pair(double[] predicted, Outcomes outcomes) {
    public Pair {
      if (predicted.length != outcomes.prompts() || predicted.length < 2) {
        throw new IllegalArgumentException("a pair needs at least 2 prompts and one prediction per prompt, got "
            + predicted.length + " predictions for " + outcomes.prompts() + " prompts");
      }
    }

    double sharedSquare() {
      double d = meanResidual();
      return d * d - residualVariance() / predicted.length;
    }

    /** The squared mean residual, sampling noise left in. */
    double missSquare() {
      double d = meanResidual();
      return d * d;
    }

    double scatterSquare() {
      double noise = 0;
      for (int i = 0; i < predicted.length; i++) {
        int k = outcomes.samples()[i];
        double y = outcomes.passRate(i);
        noise += k > 1 ? y * (1 - y) / (k - 1) : predicted[i] * (1 - predicted[i]);
      }
      return residualVariance() - noise / predicted.length;
    }

    int prompts() { return predicted.length; }

    double meanSamples() {
      return (double) outcomes.totalSamples() / outcomes.prompts();
    }

    private double meanResidual() {
      double sum = 0;
      for (int i = 0; i < predicted.length; i++) {
        sum += predicted[i] - outcomes.passRate(i);
      }
      return sum / predicted.length;
    }

    private double residualVariance() {
      double d = meanResidual();
      double sum = 0;
      for (int i = 0; i < predicted.length; i++) {
        double r = predicted[i] - outcomes.passRate(i) - d;
        sum += r * r;
      }
      return sum / (predicted.length - 1);
    }
  }
}
