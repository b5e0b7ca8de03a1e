package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.foresight.worker.checkpoint.ModelConfig;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One transformer block. Usable on its own (the submodel probe trains copies of a checkpoint's last
 * blocks): build it from a config and weights, run it on a hidden-state batch, copy its weights.
 */
public abstract class DecoderLayer {

  protected final ModelConfig config;
  protected final int index;
  protected final Attention attention;
  protected final SwiGluMlp mlp;
  private final Map<String, NDArray> parameters;
  /** For running the layer on its own; built with the layer, outside any caller's NDScope. */
  private final RotaryEmbedding rope;

  protected DecoderLayer(ModelConfig config, int index, WeightProvider weights, Map<String, NDArray> registry)
      throws IOException {
    this.config = config;
    this.index = index;
    this.parameters = registry;
    this.attention = new Attention(config, index, weights, prefix(index) + ".self_attn", registry);
    this.mlp = new SwiGluMlp(config, weights, prefix(index) + ".mlp", registry);
    this.rope = new RotaryEmbedding(config.rope(index), config.headDim(), registry.values().iterator().next().getManager());
  }

  /** The layer variant of the config's family, with weights named as in Hugging Face checkpoints. */
  public static DecoderLayer create(ModelConfig config, int index, WeightProvider weights) throws IOException {
    Map<String, NDArray> registry = new LinkedHashMap<>();
    return config.family().postNorm()
        ? new PostNormDecoderLayer(config, index, weights, registry)
        : new PreNormDecoderLayer(config, index, weights, registry);
  }

  static String prefix(int index) { return "model.layers." + index; }

  public int index() { return index; }

  public ModelConfig config() { return config; }

  /** Whether this layer attends within a sliding window. */
  public boolean sliding() { return config.isSliding(index); }

  /** hidden [B, T, D] → [B, T, D]. */
  public abstract NDArray forward(NDArray hidden, LayerContext context);

  /**
   * Runs this layer alone on hidden states [B, T, D] at positions [B, T] (int64): the entry point
   * for a submodel that continues from a checkpoint's layer-(L−k) states.
   */
  public NDArray forward(NDArray hidden, NDArray positions, AttentionMask mask) {
    LayerContext context = new LayerContext(rope.at(positions, hidden.getDataType()),
        mask.bias(hidden.getManager(), sliding() ? config.slidingWindow() : 0), null);
    return forward(hidden, context);
  }

  /** The weights by Hugging Face name ({@code model.layers.<index>.…}). */
  public Map<String, NDArray> parameters() { return Collections.unmodifiableMap(parameters); }

  /**
   * A deep copy whose weights are fresh float32 arrays in {@code manager}, ready to
   * {@code attachGradient()} and train without touching this layer.
   */
  public DecoderLayer copy(NDManager manager) throws IOException {
    return create(config, index, MapWeights.copyOf(parameters, manager));
  }
}
