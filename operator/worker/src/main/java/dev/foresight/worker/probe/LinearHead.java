package dev.foresight.worker.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/** Logistic regression on standardised features: {@code logit = x·w + b} (w a [width, 1] matrix, so it is decayed). */
final class LinearHead implements ProbeHead {
  private final FeatureNorm norm;
  private final NDArray weight;
  private final NDArray bias;
  private final Map<String, NDArray> weights;

  LinearHead(HeadShape shape, HeadWeights w, FeatureStats stats) {
    int width = shape.width();
    this.norm = new FeatureNorm(w, width, stats);
    // Zero start: the loss is convex, and the first steps then follow the data, not the seed.
    this.weight = w.constant("linear.weight", new Shape(width, 1), 0f);
    this.bias = w.constant("linear.bias", new Shape(), 0f);
    this.weights = w.taken();
  }

  @Override
  public ProbeFamily family() { return ProbeFamily.LINEAR; }

  @Override
  public NDArray logits(ProbeInput input) {
    return norm.apply(input.states()).matMul(weight).reshape(input.batchSize()).add(bias);
  }

  @Override
  public Map<String, NDArray> trainable() {
    return FeatureNorm.withoutStatistics(weights);
  }

  @Override
  public Map<String, NDArray> weights() { return weights; }
}
