package dev.foresight.worker.scoring;

/**
 * How far predicted probabilities are from what happened. Every function is defined for any
 * non-empty prompt set, including one where every sample passed or every sample failed.
 */
public final class Calibration {
  /** Equal-width bins of the expected calibration error, as in Guo et al. (2017). */
  public static final int ECE_BINS = 10;

  private Calibration() {}

  /** Mean over prompts of (predicted − pass rate)²: the error against the soft labels the probe learns. */
  public static double mse(double[] predicted, Outcomes outcomes) {
    Auroc.requireSameLength(predicted, outcomes);
    double sum = 0;
    for (int i = 0; i < predicted.length; i++) {
      double d = predicted[i] - outcomes.passRate(i);
      sum += d * d;
    }
    return sum / predicted.length;
  }

  /**
   * Mean over samples of (predicted − outcome)², outcome 0 or 1. It is at least the MSE: a prompt
   * passed half the time costs 0.25 even when predicted exactly.
   */
  public static double brier(double[] predicted, Outcomes outcomes) {
    Auroc.requireSameLength(predicted, outcomes);
    double sum = 0;
    for (int i = 0; i < predicted.length; i++) {
      int pass = outcomes.passed()[i];
      int fail = outcomes.samples()[i] - pass;
      double p = predicted[i];
      sum += pass * (1 - p) * (1 - p) + fail * p * p;
    }
    return sum / outcomes.totalSamples();
  }

  /**
   * Expected calibration error over samples: samples fall in {@link #ECE_BINS} equal-width bins by
   * predicted probability (1.0 in the last); ECE = Σ (bin samples / all samples) × |pass rate in
   * bin − mean prediction in bin|.
   */
  public static double expectedCalibrationError(double[] predicted, Outcomes outcomes) {
    Auroc.requireSameLength(predicted, outcomes);
    double[] confidence = new double[ECE_BINS];
    double[] passes = new double[ECE_BINS];
    double[] count = new double[ECE_BINS];
    for (int i = 0; i < predicted.length; i++) {
      int bin = Math.min(ECE_BINS - 1, (int) Math.floor(predicted[i] * ECE_BINS));
      int n = outcomes.samples()[i];
      confidence[bin] += n * predicted[i];
      passes[bin] += outcomes.passed()[i];
      count[bin] += n;
    }
    double total = outcomes.totalSamples();
    double ece = 0;
    for (int b = 0; b < ECE_BINS; b++) {
      if (count[b] > 0) {
        ece += count[b] / total * Math.abs(passes[b] / count[b] - confidence[b] / count[b]);
      }
    }
    return ece;
  }
}
