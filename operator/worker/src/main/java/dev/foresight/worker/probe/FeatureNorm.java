package dev.foresight.worker.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Standardises each input feature with the training set's mean and spread: hidden states of a
 * language model have a few huge dimensions, and without this a probe's step size would be set by
 * them. The statistics are fixed parameters ({@code norm.mean}, {@code norm.inv_std}) stored with
 * the probe, so a later checkpoint is scaled as the training checkpoints were.
 */
final class FeatureNorm {
  /** Variance floor, relative to the mean variance, so that a constant feature does not blow up. */
  private static final double RELATIVE_FLOOR = 1e-4;
  private static final String MEAN = "norm.mean";
  private static final String INV_STD = "norm.inv_std";

  private final NDArray mean;
  private final NDArray invStd;

  /** Statistics of the training inputs: per-feature mean and 1/std. */
  record Stats(float[] mean, float[] invStd) {

    /**
     * From {@code rows} vectors of {@code width} features laid out one after another in {@code values}
     * (padding excluded by the caller).
     */
    static Stats of(float[] values, int rows, int width) {
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
        invStd[j] = (float) (1 / Math.sqrt(var[j] + floor));
      }
      return new Stats(mean, invStd);
    }
  }

  /** {@code stats} is used for new weights and ignored when the weights are loaded. */
  FeatureNorm(HeadWeights weights, int width, Stats stats) {
    Shape shape = new Shape(width);
    this.mean = weights.given(MEAN, stats == null ? null : stats.mean(), shape);
    this.invStd = weights.given(INV_STD, stats == null ? null : stats.invStd(), shape);
  }

  /** {@code weights} without the normalisation statistics, which training must not change. */
  static Map<String, NDArray> withoutStatistics(Map<String, NDArray> weights) {
    Map<String, NDArray> t = new LinkedHashMap<>(weights);
    t.remove(MEAN);
    t.remove(INV_STD);
    return t;
  }

  /** Works on {@code [..., width]}: broadcasting over batch and positions. */
  NDArray apply(NDArray x) {
    return x.sub(mean).mul(invStd);
  }
}
