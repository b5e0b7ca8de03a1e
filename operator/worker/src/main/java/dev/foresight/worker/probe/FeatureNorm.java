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
  private static final String MEAN = "norm.mean";
  private static final String INV_STD = "norm.inv_std";

  private final NDArray mean;
  private final NDArray invStd;

  /** {@code stats} is used for new weights and ignored when the weights are loaded. */
  FeatureNorm(HeadWeights weights, int width, FeatureStats stats) {
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
