package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import dev.foresight.worker.checkpoint.ModelConfig;
import java.io.IOException;
import java.util.Map;

/** Llama, Mistral, Qwen2: {@code h += attn(norm(h)); h += mlp(norm(h))}. */
final class PreNormDecoderLayer extends DecoderLayer {

  private final RmsNorm inputNorm;
  private final RmsNorm postAttentionNorm;

  PreNormDecoderLayer(ModelConfig c, int index, WeightProvider weights, Map<String, NDArray> registry) throws IOException {
    super(c, index, weights, registry);
    this.inputNorm = new RmsNorm(weights, prefix(index) + ".input_layernorm.weight", c.hiddenSize(), c.rmsNormEps(), registry);
    this.postAttentionNorm = new RmsNorm(weights, prefix(index) + ".post_attention_layernorm.weight",
        c.hiddenSize(), c.rmsNormEps(), registry);
  }

  @Override
  public NDArray forward(NDArray hidden, LayerContext context) {
    NDArray h = hidden.add(attention.forward(inputNorm.forward(hidden), context));
    return h.add(mlp.forward(postAttentionNorm.forward(h)));
  }
}
