package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import dev.foresight.worker.checkpoint.ModelConfig;
import java.io.IOException;
import java.util.Map;

/**
 * OLMo-2 and OLMo-3: the norm sits on each branch's output, not its input —
 * {@code h += norm(attn(h)); h += norm(mlp(h))} — and attention normalises q and k.
 * Same weight names as Llama for the first norm ({@code post_attention_layernorm}), different meaning.
 */
final class PostNormDecoderLayer extends DecoderLayer {

  private final RmsNorm postAttentionNorm;
  private final RmsNorm postFeedforwardNorm;

  PostNormDecoderLayer(ModelConfig c, int index, WeightProvider weights, Map<String, NDArray> registry) throws IOException {
    super(c, index, weights, registry);
    this.postAttentionNorm = new RmsNorm(weights, prefix(index) + ".post_attention_layernorm.weight",
        c.hiddenSize(), c.rmsNormEps(), registry);
    this.postFeedforwardNorm = new RmsNorm(weights, prefix(index) + ".post_feedforward_layernorm.weight",
        c.hiddenSize(), c.rmsNormEps(), registry);
  }

  @Override
  public NDArray forward(NDArray hidden, LayerContext context) {
    NDArray h = hidden.add(postAttentionNorm.forward(attention.forward(hidden, context)));
    return h.add(postFeedforwardNorm.forward(mlp.forward(h)));
  }
}
