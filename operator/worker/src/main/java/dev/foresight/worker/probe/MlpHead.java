package dev.foresight.worker.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.Map;

/** {@code logit = relu(x W₁ + b₁)·w₂ + b₂} on standardised features. */
final class MlpHead implements ProbeHead {
  private final FeatureNorm norm;
  private final NDArray w1;
  private final NDArray b1;
  private final NDArray w2;
  private final NDArray b2;
  private final Map<String, NDArray> weights;

  MlpHead(HeadShape shape, HeadWeights w, FeatureStats stats) {
    int width = shape.width();
    int hidden = shape.hidden();
    this.norm = new FeatureNorm(w, width, stats);
    this.w1 = w.uniform("mlp.in.weight", new Shape(width, hidden), width);
    this.b1 = w.uniform("mlp.in.bias", new Shape(hidden), width);
    this.w2 = w.uniform("mlp.out.weight", new Shape(hidden, 1), hidden);
    this.b2 = w.constant("mlp.out.bias", new Shape(), 0f);
    this.weights = w.taken();
  }

  @Override
  public ProbeFamily family() { return ProbeFamily.MLP; }

  @Override
  public NDArray logits(ProbeInput input) {
    NDArray h = Activation.relu(norm.apply(input.states()).matMul(w1).add(b1));
    return h.matMul(w2).reshape(input.batchSize()).add(b2);
  }

  @Override
  public Map<String, NDArray> trainable() {
    return FeatureNorm.withoutStatistics(weights);
  }

  @Override
  public Map<String, NDArray> weights() { return weights; }
}
