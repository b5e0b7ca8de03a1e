package dev.foresight.worker.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The shape of a decoder-only model, read from a Hugging Face {@code config.json} with
 * transformers' field names and defaults.
 *
 * @param family which of the supported families
 * @param vocabSize rows of the embedding
 * @param hiddenSize the residual stream width
 * @param intermediateSize the MLP's inner width
 * @param numLayers decoder blocks
 * @param numHeads query heads
 * @param numKvHeads key/value heads (GQA when fewer than numHeads)
 * @param headDim per-head width ({@code head_dim}, else hiddenSize / numHeads)
 * @param rmsNormEps RMSNorm epsilon
 * @param maxPositionEmbeddings the context length the model was built for
 * @param tieWordEmbeddings whether the output head reuses the embedding
 * @param attentionBias biases on all four attention projections (Llama's attention_bias)
 * @param mlpBias biases on the MLP projections (Llama's mlp_bias)
 * @param slidingWindow the window of sliding-attention layers (tokens, the current one included), or 0
 * @param slidingLayers per layer: whether it uses the sliding window
 * @param fullRope rope settings of full-attention layers
 * @param slidingRope rope settings of sliding-window layers
 * @param bosTokenId config's bos_token_id, or -1
 * @param eosTokenIds config's eos_token_id (one or several), possibly empty
 * @param torchDtype the dtype the weights were saved in, as config.json says (informational)
 */
public record ModelConfig(
    Family family,
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    double rmsNormEps,
    int maxPositionEmbeddings,
    boolean tieWordEmbeddings,
    boolean attentionBias,
    boolean mlpBias,
    int slidingWindow,
    List<Boolean> slidingLayers,
    RopeParameters fullRope,
    RopeParameters slidingRope,
    int bosTokenId,
    List<Integer> eosTokenIds,
    String torchDtype) {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ModelConfig {
    slidingLayers = List.copyOf(slidingLayers);
    eosTokenIds = List.copyOf(eosTokenIds);
  }

  /** A Llama-architecture config with default RoPE, for models Foresight builds itself. */
  public static ModelConfig llama(int vocabSize, int hiddenSize, int intermediateSize, int numLayers,
      int numHeads, int numKvHeads, int maxPositionEmbeddings, int bosTokenId, int eosTokenId) {
    return new ModelConfig(Family.LLAMA, vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads,
        hiddenSize / numHeads, 1e-5, maxPositionEmbeddings, false, false, false, 0,
        Collections.nCopies(numLayers, false), RopeParameters.defaults(10000), RopeParameters.defaults(10000),
        bosTokenId, List.of(eosTokenId), "float32");
  }

  public boolean isSliding(int layer) { return slidingLayers.get(layer); }

  /** This config with config.json's {@code torch_dtype} set to {@code dtype} (e.g. "bfloat16"). */
  public ModelConfig withTorchDtype(String dtype) {
    return new ModelConfig(family, vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
        rmsNormEps, maxPositionEmbeddings, tieWordEmbeddings, attentionBias, mlpBias, slidingWindow, slidingLayers,
        fullRope, slidingRope, bosTokenId, eosTokenIds, dtype);
  }

  public RopeParameters rope(int layer) { return isSliding(layer) ? slidingRope : fullRope; }

  /** Parses config.json text. */
  public static ModelConfig parse(String json) throws CheckpointException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new CheckpointException("config.json is not well-formed JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException("config.json must be a JSON object");
    }
    Family family = family(root);
    int hidden = required(root, "hidden_size");
    int heads = required(root, "num_attention_heads");
    int layers = required(root, "num_hidden_layers");
    int kvHeads = optionalPositive(root, "num_key_value_heads", heads);
    int headDim = optionalPositive(root, "head_dim", 0);
    if (headDim == 0) {
      if (hidden % heads != 0) {
        throw new CheckpointException("config.json: hidden_size " + hidden + " is not a multiple of num_attention_heads "
            + heads + " and head_dim is not given");
      }
      headDim = hidden / heads;
    }
    if (heads % kvHeads != 0) {
      throw new CheckpointException("config.json: num_attention_heads " + heads
          + " is not a multiple of num_key_value_heads " + kvHeads);
    }
    String act = root.path("hidden_act").asText("silu");
    if (!act.equals("silu")) {
      throw new CheckpointException("config.json: hidden_act '" + act + "' is not supported (only silu, as in SwiGLU)");
    }
    int maxPos = optionalPositive(root, "max_position_embeddings", 4096);
    boolean postNorm = family.postNorm();
    double eps = root.path("rms_norm_eps").asDouble(postNorm ? 1e-5 : 1e-6);
    double defaultTheta = family == Family.OLMO3 ? 500000 : 10000;
    double theta = root.path("rope_theta").asDouble(defaultTheta);

    int window = slidingWindow(root, family);
    List<Boolean> sliding = slidingLayers(root, family, layers, window > 0);
    if (sliding.contains(true) && window <= 0) {
      throw new CheckpointException("config.json: sliding-attention layers need a positive sliding_window, found "
          + root.get("sliding_window"));
    }

    // rope_parameters (transformers 5) may be one dictionary or one per layer type; rope_scaling is older.
    JsonNode ropeNode = root.get("rope_parameters");
    if (ropeNode == null || ropeNode.isNull()) {
      ropeNode = root.get("rope_scaling");
    }
    RopeParameters fullRope;
    RopeParameters slidingRope;
    if (ropeNode != null && ropeNode.has("full_attention")) {
      fullRope = RopeParameters.parse(ropeNode.get("full_attention"), theta, maxPos);
      slidingRope = RopeParameters.parse(ropeNode.get("sliding_attention"), theta, maxPos);
    } else {
      fullRope = RopeParameters.parse(ropeNode, theta, maxPos);
      // OLMo-3 never scales RoPE on its sliding-window layers (OLMo-core, and transformers' own note
      // in modular_olmo3.py); the other families use one rope everywhere.
      slidingRope = family == Family.OLMO3 ? RopeParameters.defaults(fullRope.theta()) : fullRope;
    }

    return new ModelConfig(family, required(root, "vocab_size"), hidden, required(root, "intermediate_size"), layers,
        heads, kvHeads, headDim, eps, maxPos, root.path("tie_word_embeddings").asBoolean(false),
        root.path("attention_bias").asBoolean(false), root.path("mlp_bias").asBoolean(false), window, sliding,
        fullRope, slidingRope, optionalInt(root, "bos_token_id", -1), tokenIds(root.get("eos_token_id")),
        root.path("torch_dtype").asText(root.path("dtype").asText("float32")));
  }

  private static Family family(JsonNode root) throws CheckpointException {
    JsonNode archs = root.get("architectures");
    List<String> names = new ArrayList<>();
    if (archs != null && archs.isArray()) {
      archs.forEach(a -> names.add(a.asText()));
    }
    for (String name : names) {
      var f = Family.ofArchitecture(name);
      if (f.isPresent()) {
        return f.get();
      }
    }
    if (names.isEmpty() && root.has("model_type")) {
      var f = Family.ofModelType(root.get("model_type").asText());
      if (f.isPresent()) {
        return f.get();
      }
    }
    throw new CheckpointException("config.json: unsupported architecture "
        + (names.isEmpty() ? "(no 'architectures' and model_type " + root.get("model_type") + ")" : names)
        + "; supported: " + Family.supportedArchitectures());
  }

  /**
   * The window of sliding-attention layers, 0 for none. Mistral's, Qwen2's and OLMo-3's configs
   * default it to 4096 when the key is absent (an explicit null means none), as transformers does.
   */
  private static int slidingWindow(JsonNode root, Family family) throws CheckpointException {
    JsonNode v = root.get("sliding_window");
    if (v == null) {
      return family == Family.MISTRAL || family == Family.QWEN2 || family == Family.OLMO3 ? 4096 : 0;
    }
    return v.isNull() ? 0 : optionalPositive(root, "sliding_window", 0);
  }

  private static List<Boolean> slidingLayers(JsonNode root, Family family, int layers, boolean hasWindow)
      throws CheckpointException {
    List<Boolean> sliding = new ArrayList<>();
    JsonNode types = root.get("layer_types");
    if (types != null && !types.isNull()) {
      if (!types.isArray() || types.size() != layers) {
        throw new CheckpointException("config.json: layer_types must list one type per layer (" + layers + "), found " + types);
      }
      for (JsonNode t : types) {
        switch (t.asText()) {
          case "full_attention" -> sliding.add(false);
          case "sliding_attention" -> sliding.add(true);
          default -> throw new CheckpointException("config.json: layer type '" + t.asText()
              + "' is not supported (full_attention, sliding_attention)");
        }
      }
      return sliding;
    }
    for (int i = 0; i < layers; i++) {
      sliding.add(switch (family) {
        case LLAMA, OLMO2 -> false;
        case MISTRAL -> hasWindow;
        case QWEN2 -> root.path("use_sliding_window").asBoolean(false) && hasWindow
            && i >= root.path("max_window_layers").asInt(28);
        case OLMO3 -> (i + 1) % 4 != 0;
      });
    }
    return sliding;
  }

  private static int required(JsonNode root, String key) throws CheckpointException {
    JsonNode v = root.get(key);
    if (v == null || !v.canConvertToInt() || v.asInt() <= 0) {
      throw new CheckpointException("config.json: '" + key + "' must be a positive integer, found " + v);
    }
    return v.asInt();
  }

  /** A positive integer when present; {@code fallback} when absent or null. */
  private static int optionalPositive(JsonNode root, String key, int fallback) throws CheckpointException {
    JsonNode v = root.get(key);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() <= 0) {
      throw new CheckpointException("config.json: '" + key + "' must be a positive integer, found " + v);
    }
    return v.intValue();
  }

  private static int optionalInt(JsonNode root, String key, int fallback) {
    JsonNode v = root.get(key);
    return v == null || v.isNull() || !v.canConvertToInt() ? fallback : v.asInt();
  }

  private static List<Integer> tokenIds(JsonNode node) {
    List<Integer> ids = new ArrayList<>();
    if (node == null || node.isNull()) {
      return ids;
    }
    if (node.isArray()) {
      node.forEach(n -> ids.add(n.asInt()));
    } else {
      ids.add(node.asInt());
    }
    return ids;
  }

  /** This config as transformers writes it (read back by transformers 4.4x and 5.x alike). */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.putArray("architectures").add(family.architecture());
    root.put("model_type", family.modelType());
    root.put("vocab_size", vocabSize);
    root.put("hidden_size", hiddenSize);
    root.put("intermediate_size", intermediateSize);
    root.put("num_hidden_layers", numLayers);
    root.put("num_attention_heads", numHeads);
    root.put("num_key_value_heads", numKvHeads);
    root.put("head_dim", headDim);
    root.put("hidden_act", "silu");
    root.put("rms_norm_eps", rmsNormEps);
    root.put("max_position_embeddings", maxPositionEmbeddings);
    root.put("tie_word_embeddings", tieWordEmbeddings);
    root.put("attention_bias", attentionBias);
    if (family == Family.LLAMA) {
      root.put("mlp_bias", mlpBias);
    }
    root.put("rope_theta", fullRope.theta());
    fullRope.writeTo(root.putObject("rope_parameters"));
    if (slidingWindow > 0) {
      root.put("sliding_window", slidingWindow);
    } else if (family == Family.MISTRAL || family == Family.QWEN2 || family == Family.OLMO3) {
      root.putNull("sliding_window"); // absent would mean their default of 4096
    }
    if (slidingLayers.contains(true)) {
      ArrayNode types = root.putArray("layer_types");
      slidingLayers.forEach(s -> types.add(s ? "sliding_attention" : "full_attention"));
    }
    if (bosTokenId >= 0) {
      root.put("bos_token_id", bosTokenId);
    }
    if (eosTokenIds.size() == 1) {
      root.put("eos_token_id", eosTokenIds.get(0));
    } else if (!eosTokenIds.isEmpty()) {
      ArrayNode eos = root.putArray("eos_token_id");
      eosTokenIds.forEach(eos::add);
    }
    root.put("torch_dtype", torchDtype);
    root.put("use_cache", true);
    return root.toPrettyString();
  }
}
