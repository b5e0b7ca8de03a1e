package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.foresight.worker.checkpoint.ModelConfig;
import java.io.IOException;
import java.util.Map;

/**
 * Multi-head causal self-attention with grouped key/value heads (GQA: each KV head serves
 * numHeads / numKvHeads query heads), RoPE, and for OLMo-2/3 an RMSNorm on q and k.
 * transformers' "eager" attention, op for op: softmax in float32.
 */
final class Attention {

  private final int layer;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final Linear q;
  private final Linear k;
  private final Linear v;
  private final Linear o;
  /** OLMo's QK-norm: over the full projection width (OLMo-2/3 in transformers) or per head. */
  private final RmsNorm qNorm;
  private final RmsNorm kNorm;
  private final boolean perHeadQkNorm;
  private final NDArray scale;

  Attention(ModelConfig c, int layer, WeightProvider weights, String prefix, Map<String, NDArray> registry)
      throws IOException {
    this.layer = layer;
    this.heads = c.numHeads();
    this.kvHeads = c.numKvHeads();
    this.headDim = c.headDim();
    int qWidth = heads * headDim;
    int kvWidth = kvHeads * headDim;
    // Qwen2 always has q/k/v biases and never an o bias; Llama's attention_bias puts one on all four.
    boolean qkvBias = c.family().qkvBias() || c.attentionBias();
    this.q = new Linear(weights, prefix + ".q_proj", c.hiddenSize(), qWidth, qkvBias, registry);
    this.k = new Linear(weights, prefix + ".k_proj", c.hiddenSize(), kvWidth, qkvBias, registry);
    this.v = new Linear(weights, prefix + ".v_proj", c.hiddenSize(), kvWidth, qkvBias, registry);
    this.o = new Linear(weights, prefix + ".o_proj", qWidth, c.hiddenSize(), c.attentionBias(), registry);
    if (c.family().postNorm()) {
      String qName = prefix + ".q_norm.weight";
      this.perHeadQkNorm = weights.has(qName) && weights.shapeOf(qName).equals(new Shape(headDim)) && heads > 1;
      int qNormWidth = perHeadQkNorm ? headDim : qWidth;
      int kNormWidth = perHeadQkNorm ? headDim : kvWidth;
      this.qNorm = new RmsNorm(weights, qName, qNormWidth, c.rmsNormEps(), registry);
      this.kNorm = new RmsNorm(weights, prefix + ".k_norm.weight", kNormWidth, c.rmsNormEps(), registry);
    } else {
      this.perHeadQkNorm = false;
      this.qNorm = null;
      this.kNorm = null;
    }
    this.scale = q.weight.getManager().create((float) (1 / Math.sqrt(headDim))).toType(q.weight.getDataType(), false);
  }

  /** x [B, T, hidden] → [B, T, hidden]. */
  NDArray forward(NDArray x, LayerContext ctx) {
    long batch = x.getShape().get(0);
    long t = x.getShape().get(1);
    NDArray qs = q.forward(x);
    NDArray ks = k.forward(x);
    NDArray vs = v.forward(x);
    if (qNorm != null && !perHeadQkNorm) {
      qs = qNorm.forward(qs);
      ks = kNorm.forward(ks);
    }
    qs = qs.reshape(batch, t, heads, headDim);
    ks = ks.reshape(batch, t, kvHeads, headDim);
    if (perHeadQkNorm) {
      qs = qNorm.forward(qs);
      ks = kNorm.forward(ks);
    }
    qs = ctx.rotation().apply(qs.transpose(0, 2, 1, 3));
    ks = ctx.rotation().apply(ks.transpose(0, 2, 1, 3));
    vs = vs.reshape(batch, t, kvHeads, headDim).transpose(0, 2, 1, 3);
    if (ctx.cache() != null) {
      NDArray[] kv = ctx.cache().append(layer, ks, vs);
      ks = kv[0];
      vs = kv[1];
    }
    if (heads != kvHeads) {
      // Query head h reads KV head h / group: repeat each KV head group times, in place.
      ks = ks.repeat(1, heads / kvHeads);
      vs = vs.repeat(1, heads / kvHeads);
    }
    NDArray scores = qs.matMul(ks.transpose(0, 1, 3, 2)).mul(scale);
    DataType type = scores.getDataType();
    NDArray probs = scores.toType(DataType.FLOAT32, false).add(ctx.bias()).softmax(-1);
    NDArray out = probs.toType(type, false).matMul(vs);
    return o.forward(out.transpose(0, 2, 1, 3).reshape(batch, t, heads * headDim));
  }
}
