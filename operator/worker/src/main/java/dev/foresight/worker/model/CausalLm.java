package dev.foresight.worker.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.foresight.worker.checkpoint.ModelConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A decoder-only language model: embedding, decoder layers, final RMSNorm, output head. Inference
 * (prefill, generation) and training (logits under autograd) run through the same forward.
 *
 * <p>Hidden states follow Hugging Face's {@code output_hidden_states} indexing: index 0 is the
 * embedding output, index i (1 ≤ i < L) the output of layer i-1, index L the last layer's output
 * after the final norm.
 */
public final class CausalLm implements AutoCloseable {

  private final ModelConfig config;
  private final NDManager manager;
  private final DataType dtype;
  private final Embedding embedding;
  private final List<DecoderLayer> layers;
  private final RmsNorm finalNorm;
  private final NDArray lmHead;
  private final RotaryEmbedding fullRope;
  private final RotaryEmbedding slidingRope;
  private final DevicePlan plan;
  private final Map<String, NDArray> parameters = new LinkedHashMap<>();

  /**
   * Builds the model from {@code weights}; the arrays the provider returns become the model's
   * parameters (the model closes {@code manager} when closed).
   */
  public CausalLm(ModelConfig config, WeightProvider weights, NDManager manager, DataType dtype) throws IOException {
    this(config, weights, manager, dtype, DevicePlan.single(manager.getDevice(), config.numLayers()));
  }

  /**
   * As above, with the model split over {@code plan}'s devices: {@code weights} returns each weight
   * on the device the plan gives its name, and {@code manager} (the first device's) owns them all.
   */
  public CausalLm(ModelConfig config, WeightProvider weights, NDManager manager, DataType dtype, DevicePlan plan)
      throws IOException {
    this.config = config;
    this.manager = manager;
    this.dtype = dtype;
    this.plan = plan;
    this.embedding = new Embedding(weights, "model.embed_tokens.weight", config.vocabSize(), config.hiddenSize(), parameters);
    List<DecoderLayer> built = new ArrayList<>();
    for (int i = 0; i < config.numLayers(); i++) {
      DecoderLayer layer = DecoderLayer.create(config, i, weights);
      parameters.putAll(layer.parameters());
      built.add(layer);
    }
    this.layers = List.copyOf(built);
    this.finalNorm = new RmsNorm(weights, "model.norm.weight", config.hiddenSize(), config.rmsNormEps(), parameters);
    this.lmHead = config.tieWordEmbeddings()
        ? (plan.split() ? embedding.weight.toDevice(plan.last(), true) : embedding.weight) // the tied head reads it on the last device
        : Linear.register(parameters, "lm_head.weight",
            weights.get("lm_head.weight", new Shape(config.vocabSize(), config.hiddenSize())));
    this.fullRope = new RotaryEmbedding(config.fullRope(), config.headDim(), manager);
    this.slidingRope = new RotaryEmbedding(config.slidingRope(), config.headDim(), manager);
  }

  /** A freshly initialised float32 model (see {@link RandomWeights}), for training from scratch. */
  public static CausalLm random(ModelConfig config, long seed, NDManager manager) throws IOException {
    return new CausalLm(config, new RandomWeights(manager, seed), manager, DataType.FLOAT32);
  }

  public ModelConfig config() { return config; }

  public DataType dtype() { return dtype; }

  /** Where the model's parts are (one device unless split). */
  public DevicePlan plan() { return plan; }

  public NDManager manager() { return manager; }

  /** The decoder layers, in order. */
  public List<DecoderLayer> layers() { return layers; }

  /** Every weight by Hugging Face name (a tied head appears once, as the embedding). */
  public Map<String, NDArray> parameters() { return Collections.unmodifiableMap(parameters); }

  public long parameterCount() {
    return parameters.values().stream().mapToLong(NDArray::size).sum();
  }

  /** The hidden states a forward pass kept, by Hugging Face index, and the final normed states. */
  public record Output(Map<Integer, NDArray> hiddenStates, NDArray lastHidden) {}

  /**
   * Runs the model on ids [B, T] at positions [B, T] (int64), for inference: each layer's
   * intermediates are freed as soon as the layer is done, so a batch holds one layer's activations
   * at a time plus the hidden states asked for (not differentiable; see {@link #logitsForSequences}).
   *
   * @param keep the hidden-state indices to keep (0..L); others are dropped as soon as used
   * @param cache the KV cache to append to (generation), or null
   */
  public Output forward(NDArray ids, NDArray positions, AttentionMask mask, Set<Integer> keep, KvCache cache) {
    return forward(ids, positions, mask, keep, cache, true);
  }

  private Output forward(NDArray ids, NDArray positions, AttentionMask mask, Set<Integer> keep, KvCache cache,
      boolean freeEachLayer) {
    NDManager arrays = ids.getManager();
    // Built before the layers run: they are shared by all layers of their kind.
    LayerContext full = config.slidingLayers().contains(false)
        ? new LayerContext(fullRope.at(positions, dtype), mask.bias(arrays, 0), cache) : null;
    LayerContext sliding = config.slidingLayers().contains(true)
        ? new LayerContext(slidingRope.at(positions, dtype), mask.bias(arrays, config.slidingWindow()), cache) : null;
    Map<Integer, NDArray> kept = new HashMap<>();
    NDArray h = embedding.forward(ids);
    if (keep.contains(0)) {
      kept.put(0, h);
    }
    Map<Device, LayerContext[]> contexts = plan.split() ? new HashMap<>() : null;
    for (DecoderLayer layer : layers) {
      LayerContext ctx = layer.sliding() ? sliding : full;
      if (contexts != null) {
        Device on = plan.layer(layer.index());
        h = moveTo(h, on, kept, freeEachLayer);
        ctx = contexts.computeIfAbsent(on, d -> new LayerContext[] {onDevice(full, d), onDevice(sliding, d)})
            [layer.sliding() ? 1 : 0];
      }
      NDArray next;
      if (freeEachLayer) {
        try (NDScope scope = new NDScope()) {
          next = layer.forward(h, ctx);
          NDScope.unregister(next);
          scope.suppressNotUsedWarning();
        }
        NDScope.register(next); // into the caller's scope, if there is one
        NDArray done = h;
        if (kept.values().stream().noneMatch(k -> k == done)) {
          done.close();
        }
      } else {
        next = layer.forward(h, ctx); // training: backward needs every intermediate
      }
      h = next;
      int index = layer.index() + 1;
      if (index < config.numLayers() && keep.contains(index)) {
        kept.put(index, h);
      }
    }
    if (cache != null) {
      cache.advance((int) ids.getShape().get(1));
    }
    if (contexts != null) {
      h = moveTo(h, plan.last(), kept, freeEachLayer);
    }
    NDArray last = finalNorm.forward(h);
    if (keep.contains(config.numLayers())) {
      kept.put(config.numLayers(), last);
    }
    return new Output(kept, last);
  }

  /**
   * The hidden state on {@code device} (the same array when it is there already); the copy it
   * leaves behind is freed unless a caller keeps it or training needs it.
   */
  private static NDArray moveTo(NDArray h, Device device, Map<Integer, NDArray> kept, boolean free) {
    NDArray moved = h.toDevice(device, false);
    if (moved != h && free && kept.values().stream().noneMatch(k -> k == h)) {
      h.close();
    }
    return moved;
  }

  /** A layer context with its rotation and bias on {@code device} (the KV cache places itself). */
  private static LayerContext onDevice(LayerContext ctx, Device device) {
    if (ctx == null) {
      return null;
    }
    RotaryEmbedding.Rotation r = ctx.rotation();
    return new LayerContext(new RotaryEmbedding.Rotation(r.cos().toDevice(device, false), r.sin().toDevice(device, false),
        r.half()), ctx.bias().toDevice(device, false), ctx.cache());
  }

  /** Output-head logits for final hidden states [..., D] → [..., V]. */
  public NDArray logits(NDArray lastHidden) {
    return lastHidden.getNDArrayInternal().linear(lastHidden, lmHead, null).singletonOrThrow();
  }

  /**
   * Logits [B, T, V] for token sequences [B, T] that start at position 0, each token seeing only
   * itself and earlier ones: the training forward (differentiable when recorded by a gradient
   * collector).
   */
  public NDArray logitsForSequences(NDArray ids) {
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    NDArray positions = ids.getManager().arange(0, (int) t).toType(DataType.INT64, false).expandDims(0).repeat(0, b);
    return logits(forward(ids, positions, AttentionMask.causal((int) t), Set.of(), null, false).lastHidden());
  }

  /** A KV cache sized for this model. */
  public KvCache newCache(NDManager parent, int batch, int capacity) {
    return new KvCache(parent, config.numLayers(), batch, config.numKvHeads(), config.headDim(), capacity, dtype);
  }

  @Override
  public void close() {
    manager.close();
  }
}
