package dev.foresight.worker.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.model.AttentionMask;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.model.DecoderLayer;
import dev.foresight.worker.model.MapWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The submodel probe: a trainable copy of the checkpoint's last k decoder blocks, run on the
 * states a checkpoint produces at layer L−k, then a linear head on the last prompt token's
 * RMS-normalised state (the final norm's learned scale would only multiply the head's weights, so
 * it is left out). Starting from the model's own blocks, it begins where the model's computation
 * is and learns what in it predicts success.
 *
 * <p>Weights are stored as {@code submodel.<Hugging Face name>} (e.g.
 * {@code submodel.model.layers.1.mlp.up_proj.weight}) plus {@code submodel.out.weight|bias}; the
 * blocks' config.json travels in the bundle, so the probe runs without its training checkpoint.
 */
public final class SubmodelHead implements ProbeHead {
  static final String PREFIX = "submodel.";
  /** The weights file's metadata key holding the blocks' config.json. */
  public static final String CONFIG_METADATA = "submodel.config";

  private final List<DecoderLayer> blocks;
  private final NDArray outWeight;
  private final NDArray outBias;
  private final NDArray epsilon;
  private final ModelConfig config;
  private final Map<String, NDArray> weights = new LinkedHashMap<>();

  private SubmodelHead(List<DecoderLayer> blocks, HeadWeights w, ModelConfig config) {
    this.blocks = List.copyOf(blocks);
    this.config = config;
    for (DecoderLayer block : blocks) {
      block.parameters().forEach((name, array) -> weights.put(PREFIX + name, array));
    }
    int hidden = config.hiddenSize();
    // A zero start: the first steps follow the data, and the blocks begin as the model's own.
    this.outWeight = w.constant(PREFIX + "out.weight", new Shape(hidden, 1), 0f);
    this.outBias = w.constant(PREFIX + "out.bias", new Shape(), 0f);
    weights.putAll(w.taken());
    this.epsilon = w.manager().create((float) config.rmsNormEps());
  }

  /** New weights: copies of {@code model}'s last {@code shape.blocks()} blocks. */
  static SubmodelHead fromModel(HeadShape shape, CausalLm model, HeadWeights w) {
    List<DecoderLayer> layers = model.layers();
    int k = shape.blocks();
    if (k > layers.size()) {
      throw new IllegalArgumentException("the model has " + layers.size() + " blocks, the probe asks for " + k);
    }
    List<DecoderLayer> copies = new ArrayList<>();
    try {
      for (DecoderLayer layer : layers.subList(layers.size() - k, layers.size())) {
        copies.add(layer.copy(w.manager()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SubmodelHead(copies, w, model.config());
  }

  /** Loaded weights: the blocks named {@code submodel.model.layers.<i>.…} of {@code config}'s last k layers. */
  static SubmodelHead load(HeadShape shape, ModelConfig config, HeadWeights w) {
    Map<String, NDArray> blockWeights = w.takePrefixed(PREFIX + "model.layers.");
    Map<String, NDArray> byHfName = new LinkedHashMap<>();
    blockWeights.forEach((name, array) -> byHfName.put(name.substring(PREFIX.length()), array));
    List<DecoderLayer> blocks = new ArrayList<>();
    MapWeights source = new MapWeights(byHfName);
    try {
      for (int i = config.numLayers() - shape.blocks(); i < config.numLayers(); i++) {
        blocks.add(DecoderLayer.create(config, i, source));
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("submodel blocks: " + e.getMessage(), e);
    }
    int expected = blocks.stream().mapToInt(b -> b.parameters().size()).sum();
    if (expected != byHfName.size()) {
      throw new IllegalArgumentException(byHfName.size() + " submodel tensors for blocks that have " + expected);
    }
    return new SubmodelHead(blocks, w, config);
  }

  @Override
  public ProbeFamily family() { return ProbeFamily.SUBMODEL; }

  @Override
  public NDArray logits(ProbeInput input) {
    NDArray h = input.states();                          // [B, T, D] at layer L−k
    long b = h.getShape().get(0);
    int t = (int) h.getShape().get(1);
    NDManager m = h.getManager();
    NDArray positions = m.arange(0, t).toType(DataType.INT64, false).expandDims(0).repeat(0, b);
    // Right padding needs no mask: causality keeps every real token from seeing the padding after it.
    AttentionMask causal = AttentionMask.causal(t);
    for (DecoderLayer block : blocks) {
      h = block.forward(h, positions, causal);
    }
    NDArray last = h.mul(input.lastToken().expandDims(-1)).sum(new int[] {1});   // [B, D]
    NDArray normed = last.div(last.square().mean(new int[] {-1}, true).add(epsilon).sqrt());
    return normed.matMul(outWeight).reshape(b).add(outBias);
  }

  @Override
  public Map<String, NDArray> trainable() { return weights; }

  @Override
  public Map<String, NDArray> weights() { return weights; }

  @Override
  public Map<String, String> metadata() { return Map.of(CONFIG_METADATA, config.toJson()); }
}
