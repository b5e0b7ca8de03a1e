package dev.foresight.worker.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/**
 * Attention pooling over the prompt's positions, then a linear head. Each head h has one learned
 * query q_h; it scores every position t by q_h·k_t/√d (keys k_t = x_t W_K), takes the softmax over
 * the real (unpadded) positions, and pools the values v_t = x_t W_V. The heads' pooled vectors,
 * concatenated, give the logit through {@code w·pooled + b}. A single head whose weights all land
 * on the last token is the linear probe; more heads let the probe read where the prompt's
 * information is, rather than where we guessed it would be.
 */
final class AttentionPoolingHead implements ProbeHead {
  private final int heads;
  private final int headDim;
  private final FeatureNorm norm;
  private final NDArray keys;
  private final NDArray values;
  private final NDArray queries;
  private final NDArray outWeight;
  private final NDArray outBias;
  /** 1/√headDim as a long-lived array: a Java scalar in autograd arithmetic corrupts gradients. */
  private final NDArray scale;
  private final Map<String, NDArray> weights;

  AttentionPoolingHead(HeadShape shape, HeadWeights w, FeatureStats stats) {
    int width = shape.inputWidth();
    this.heads = shape.heads();
    this.headDim = shape.headDim();
    this.norm = new FeatureNorm(w, width, stats);
    this.keys = w.uniform("attention.key.weight", new Shape(width, (long) heads * headDim), width);
    this.values = w.uniform("attention.value.weight", new Shape(width, (long) heads * headDim), width);
    this.queries = w.uniform("attention.query", new Shape(heads, headDim), headDim);
    this.outWeight = w.uniform("attention.out.weight", new Shape((long) heads * headDim, 1), (long) heads * headDim);
    this.outBias = w.constant("attention.out.bias", new Shape(), 0f);
    this.weights = w.taken();
    this.scale = w.manager().create((float) (1 / Math.sqrt(headDim)));
  }

  @Override
  public ProbeFamily family() { return ProbeFamily.ATTENTION; }

  @Override
  public NDArray logits(ProbeInput input) {
    NDArray x = norm.apply(input.states());                  // [B, T, D]
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    NDArray k = x.matMul(keys).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);    // [B, H, T, d]
    NDArray v = x.matMul(values).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);  // [B, H, T, d]
    NDArray scores = k.matMul(queries.reshape(1, heads, headDim, 1)).reshape(b, heads, t).mul(scale);
    NDArray attention = scores.add(input.maskBias().reshape(b, 1, t)).softmax(-1);     // [B, H, T]
    NDArray pooled = attention.expandDims(2).matMul(v).reshape(b, (long) heads * headDim);
    return pooled.matMul(outWeight).reshape(b).add(outBias);
  }

  @Override
  public Map<String, NDArray> trainable() {
    return FeatureNorm.withoutStatistics(weights);
  }

  @Override
  public Map<String, NDArray> weights() { return weights; }
}
