package dev.foresight.worker.scoring;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Predicted pass@1 (the mean of per-prompt predictions) with a percentile-bootstrap 95% interval
 * over prompts: resample the prompt set with replacement {@value #RESAMPLES} times, take each
 * resample's mean, report the 2.5th and 97.5th percentiles. Seeded, so the same inputs always give
 * the same interval. It measures how much the estimate depends on which prompts were drawn, not
 * the probe's own error (that is {@link ProbeMetrics#passAt1Error()} on labelled checkpoints).
 */
public record PassAt1Interval(double passAt1, double low, double high) {
  public static final int RESAMPLES = 1000;
  public static final long DEFAULT_SEED = 20_260_401L;

  public static PassAt1Interval of(double[] predicted) {
    return of(predicted, DEFAULT_SEED);
  }

  public static PassAt1Interval of(double[] predicted, long seed) {
    if (predicted.length == 0) {
      throw new IllegalArgumentException("no predictions");
    }
    double mean = Arrays.stream(predicted).average().orElseThrow();
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
    return new PassAt1Interval(mean, Math.min(mean, percentile(means, 0.025)), Math.max(mean, percentile(means, 0.975)));
  }

  /** Linear interpolation between closest ranks (numpy's default). */
  static double percentile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
