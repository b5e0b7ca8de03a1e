package dev.foresight.worker.scoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * How far a probe's predicted pass@1 strays from a generative evaluation's on data the probe did
 * not fit, split into the parts that {@link PassAt1Interval} needs, each with the sampling noise
 * of the labels taken out (standard deviations, in pass@1 units):
 *
 * <ul>
 *   <li>{@code bias}: the checkpoint-level error, shared by every prompt of a (checkpoint, task),
 *       which no number of prompts averages away: the larger of what the held-out prompts of the
 *       labelled checkpoints show ({@code heldOutPromptsBias}) and what the newest labelled
 *       checkpoint shows to a probe trained without it ({@code newestCheckpointBias}, null when
 *       the probe was trained on one checkpoint). The second is the one that sees the drift of a
 *       later checkpoint; the first is there for bundles trained on a single checkpoint and as a
 *       floor.
 *   <li>{@code scatter}: the per-prompt error around that shared part; over n prompts it adds
 *       scatter² / n.
 * </ul>
 *
 * <p>Per (checkpoint, task) pair of m prompts with predictions p_i and observed pass rates y_i
 * (k_i samples each), r_i = p_i − y_i, d = mean r_i and S² = their sample variance. With b the
 * pair's shared error, s² the per-prompt scatter and σ_i² = q_i(1 − q_i)/k_i the sampling noise,
 * E[S²] = s² + mean σ_i² and E[d²] = b² + (s² + mean σ_i²)/m, so d² − S²/m estimates b² and
 * S² − mean σ̂_i² estimates s², with σ̂_i² = y_i(1 − y_i)/(k_i − 1) unbiased for σ_i² (the
 * prediction stands in for q_i where k_i = 1). Both are averaged over pairs, then floored at 0.
 *
 * @param bias checkpoint-level error (standard deviation)
 * @param scatter per-prompt error (standard deviation)
 * @param samplesPerPrompt samples per prompt of the labels: the generative evaluation the interval stands for
 * @param heldOutPromptsBias the bias seen on held-out prompts of the labelled checkpoints
 * @param newestCheckpointBias the bias seen on the newest labelled checkpoint by a probe trained without it
 * @param pairs (checkpoint, task) pairs behind the estimate
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"bias", "scatter", "samplesPerPrompt", "heldOutPromptsBias", "newestCheckpointBias", "pairs"})
public record CheckpointError(double bias, double scatter, int samplesPerPrompt, double heldOutPromptsBias,
    Double newestCheckpointBias, int pairs) {

  public CheckpointError {
    if (!(bias >= 0) || !(scatter >= 0) || samplesPerPrompt < 1 || pairs < 1) {
      throw new IllegalArgumentException("checkpointError: bias and scatter must be >= 0, samplesPerPrompt and pairs"
          + " >= 1, got " + bias + ", " + scatter + ", " + samplesPerPrompt + ", " + pairs);
    }
  }

  /** The probe's own error variance on a pass@1 over {@code prompts} prompts. */
  public double variance(int prompts) {
    return bias * bias + scatter * scatter / prompts;
  }

  /**
   * @param heldOutPrompts one pair per (labelled checkpoint, task): held-out prompts scored by the bundle's probe
   * @param newestCheckpoint one pair per task: every prompt of the newest labelled checkpoint scored by a probe
   *     trained without that checkpoint; empty when there was only one
   */
  public static CheckpointError estimate(List<Pair> heldOutPrompts, List<Pair> newestCheckpoint) {
    if (heldOutPrompts.isEmpty()) {
      throw new IllegalArgumentException("no held-out (checkpoint, task) pairs to estimate the probe's error from");
    }
    double heldOutBias = Math.sqrt(Math.max(0, heldOutPrompts.stream().mapToDouble(Pair::sharedSquare).average()
        .orElseThrow()));
    Double newestBias = newestCheckpoint.isEmpty() ? null
        : Math.sqrt(Math.max(0, newestCheckpoint.stream().mapToDouble(Pair::sharedSquare).average().orElseThrow()));
    List<Pair> all = new ArrayList<>(heldOutPrompts);
    all.addAll(newestCheckpoint);
    double scatter = Math.sqrt(Math.max(0, all.stream().mapToDouble(Pair::scatterSquare).average().orElseThrow()));
    int samples = (int) Math.round(all.stream().mapToDouble(Pair::meanSamples).average().orElseThrow());
    double bias = newestBias == null ? heldOutBias : Math.max(heldOutBias, newestBias);
    return new CheckpointError(bias, scatter, samples, heldOutBias, newestBias, all.size());
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

    double scatterSquare() {
      double noise = 0;
      for (int i = 0; i < predicted.length; i++) {
        int k = outcomes.samples()[i];
        double y = outcomes.passRate(i);
        noise += k > 1 ? y * (1 - y) / (k - 1) : predicted[i] * (1 - predicted[i]);
      }
      return residualVariance() - noise / predicted.length;
    }

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
