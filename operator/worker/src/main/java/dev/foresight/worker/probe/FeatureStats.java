package dev.foresight.worker.probe;

/**
 * Per-feature mean and 1/std of a probe's training inputs, which {@link FeatureNorm} applies.
 *
 * @param mean per feature
 * @param invStd per feature: 1/√(variance + floor), 0 for a feature constant over the training rows
 */
public record FeatureStats(float[] mean, float[] invStd) {
  /** Variance floor, relative to the mean variance, so that a constant feature does not blow up. */
  private static final double RELATIVE_FLOOR = 1e-4;

  /**
   * From {@code rows} vectors of {@code width} features laid out one after another in {@code values}
   * (padding excluded by the caller).
   */
  public static FeatureStats of(float[] values, int rows, int width) {
    double[] sum = new double[width];
    double[] sumSq = new double[width];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < width; j++) {
        double v = values[r * width + j];
        sum[j] += v;
        sumSq[j] += v * v;
      }
    }
    float[] mean = new float[width];
    double[] var = new double[width];
    double meanVar = 0;
    for (int j = 0; j < width; j++) {
      double m = sum[j] / rows;
      mean[j] = (float) m;
      var[j] = Math.max(0, sumSq[j] / rows - m * m);
      meanVar += var[j] / width;
    }
    float[] invStd = new float[width];
    double floor = RELATIVE_FLOOR * meanVar + 1e-12;
    for (int j = 0; j < width; j++) {
      // A feature constant over training taught the head nothing: it is read as 0 everywhere, not as
      // a huge multiple of wherever a new checkpoint puts it (one labelled step, then a later one).
      boolean constant = var[j] <= 1e-12 * Math.max(1, (double) mean[j] * mean[j]);
      invStd[j] = constant ? 0f : (float) (1 / Math.sqrt(var[j] + floor));
    }
    return new FeatureStats(mean, invStd);
  }

  /** No change: mean 0, scale 1 (inputs that are standardised already). */
  public static FeatureStats identity(int width) {
    float[] ones = new float[width];
    java.util.Arrays.fill(ones, 1f);
    return new FeatureStats(new float[width], ones);
  }
}
