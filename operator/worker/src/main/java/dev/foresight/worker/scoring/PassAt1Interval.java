package dev.foresight.worker.scoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Predicted pass@1 (the mean of per-prompt predictions) with a 95% interval, of one of two kinds
 * ({@code basis}):
 *
 * <ul>
 *   <li>{@value #GENERATIVE}: the pass@1 that a generative evaluation of this checkpoint on these
 *       very prompts, with the labels' samples per prompt, would measure, with 95% probability.
 *       Two independent errors separate the probe's estimate from that measurement: the probe's
 *       own ({@code probeError}: {@link CheckpointError#variance}, measured when the bundle was
 *       trained, on prompts and a checkpoint the probe did not fit) and the generation's sampling
 *       noise ({@code samplingError}: with k samples of a prompt that passes with probability
 *       p_i, the measured rate varies by p_i(1 − p_i)/k, so the mean over n prompts by
 *       Σ p_i(1 − p_i) / (k n²), the predictions standing in for the p_i). The interval is
 *       passAt1 ± 1.96 √(probeError² + samplingError²), clipped to [0, 1]. No prompt bootstrap:
 *       the generative evaluation runs on the same prompts, so which prompts were drawn does not
 *       part the two, and the probe's prompt-to-prompt error is its {@code scatter} term.
 *   <li>{@value #PROMPT_BOOTSTRAP}, for a bundle whose manifest has no {@code checkpointError}
 *       (trained by an older worker): a percentile bootstrap over prompts, {@value #RESAMPLES}
 *       resamples of the mean, 2.5th to 97.5th percentile. It measures only how much the
 *       estimate depends on which prompts were drawn, and covers the generative pass@1 less often
 *       than 95%.
 * </ul>
 *
 * Both are deterministic: the bootstrap is seeded, the other has no randomness.
 *
 * @param probeError null for the bootstrap
 * @param samplingError null for the bootstrap
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"passAt1", "low", "high", "basis", "probeError", "samplingError"})
public record PassAt1Interval(double passAt1, double low, double high, String basis, Double probeError,
    Double samplingError) {
  public static final String GENERATIVE = "generative";
  public static final String PROMPT_BOOTSTRAP = "promptBootstrap";
  public static final int RESAMPLES = 1000;
  public static final long DEFAULT_SEED = 20_260_401L;
  /** The standard normal's 97.5th percentile. */
  static final double Z95 = 1.959963984540054;

  /**
   * The {@value #GENERATIVE} interval when {@code error} is known, else the {@value #PROMPT_BOOTSTRAP}.
   *
   * @param error the bundle's {@code checkpointError}, or null
   */
  public static PassAt1Interval of(double[] predicted, CheckpointError error) {
    return of(predicted, error, null);
  }

  /**
   * {@link #of(double[], CheckpointError)} on the checkpoint at training {@code step} (null when
   * unknown): beyond the newest labelled checkpoint the probe's bias grows ({@link CheckpointError#growth}).
   */
  public static PassAt1Interval of(double[] predicted, CheckpointError error, Long step) {
    if (error == null) {
      return of(predicted);
    }
    double mean = mean(predicted);
    int n = predicted.length;
    double binomial = 0;
    for (double p : predicted) {
      binomial += p * (1 - p);
    }
    double sampling = Math.sqrt(binomial / error.samplesPerPrompt()) / n;
    double probe = Math.sqrt(error.variance(n, step));
    double half = Z95 * Math.sqrt(probe * probe + sampling * sampling);
    return new PassAt1Interval(mean, Math.max(0, mean - half), Math.min(1, mean + half), GENERATIVE, probe, sampling);
  }

  public static PassAt1Interval of(double[] predicted) {
    return of(predicted, DEFAULT_SEED);
  }

  /** The {@value #PROMPT_BOOTSTRAP} interval. */
  public static PassAt1Interval of(double[] predicted, long seed) {
    double mean = mean(predicted);
    SplittableRandom random = new SplittableRandom(seed);
    double[] means = new double[RESAMPLES];
    int n = predicted.length;
    for (int r = 0; r < RESAMPLES; r++) {
      double sum = 0;
      for (int k = 0; k < n; k++) {
        sum += predicted[random.nextInt(n)];
      }
      means[r] = sum / n;
    }
    Arrays.sort(means);
    // A constant prediction resamples to itself: clamp so that low <= mean <= high despite rounding.
    return new PassAt1Interval(mean, Math.min(mean, percentile(means, 0.025)), Math.max(mean, percentile(means, 0.975)),
        PROMPT_BOOTSTRAP, null, null);
  }

  private static double mean(double[] predicted) {
    if (predicted.length == 0) {
      throw new IllegalArgumentException("no predictions");
    }
    return Arrays.stream(predicted).average().orElseThrow();
  }

  /** Linear interpolation between closest ranks (numpy's default). */
  static double percentile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
