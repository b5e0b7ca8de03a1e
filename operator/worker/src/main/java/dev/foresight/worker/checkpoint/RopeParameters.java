package dev.foresight.worker.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rotary position embedding settings of one layer type, as transformers' modeling_rope_utils.py
 * computes them: the inverse frequencies and the factor applied to cos/sin ("attention scaling").
 * Supported types: {@code default}, {@code linear}, {@code llama3}, {@code yarn}.
 *
 * @param type the rope type
 * @param theta the base wavelength ({@code rope_theta})
 * @param factor scaling factor (linear, llama3, yarn); 1 for default
 * @param lowFreqFactor llama3 only
 * @param highFreqFactor llama3 only
 * @param originalMaxPositionEmbeddings llama3 and yarn: the pre-training context length
 * @param betaFast yarn (default 32)
 * @param betaSlow yarn (default 1)
 * @param attentionFactor yarn: explicit cos/sin scale, or null to derive it from factor/mscale
 * @param mscale yarn (DeepSeek-style), or null
 * @param mscaleAllDim yarn (DeepSeek-style), or null
 * @param truncate yarn: floor/ceil the correction range (default true)
 * @param partialRotaryFactor the share of the head dimension that rotates (1 = all)
 */
public record RopeParameters(
    String type,
    double theta,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositionEmbeddings,
    double betaFast,
    double betaSlow,
    Double attentionFactor,
    Double mscale,
    Double mscaleAllDim,
    boolean truncate,
    double partialRotaryFactor) {

  public static RopeParameters defaults(double theta) {
    return new RopeParameters("default", theta, 1, 1, 4, 0, 32, 1, null, null, null, true, 1);
  }

  /**
   * Reads one rope dictionary ({@code rope_parameters} of transformers 5, or the older
   * {@code rope_scaling}, whose type key was once {@code type}).
   */
  static RopeParameters parse(JsonNode node, double fallbackTheta, int maxPositionEmbeddings) throws CheckpointException {
    if (node == null || node.isNull()) {
      return defaults(fallbackTheta);
    }
    if (!node.isObject()) {
      throw new CheckpointException("config.json: rope parameters must be an object, found " + node);
    }
    String type = text(node, "rope_type", text(node, "type", "default"));
    double theta = number(node, "rope_theta", fallbackTheta);
    double factor = number(node, "factor", 1);
    // Only llama3 and yarn read the pre-training context length; keep it 0 elsewhere so that
    // configs that differ only in unused fields compare equal.
    int originalMax = type.equals("llama3") || type.equals("yarn")
        ? (int) number(node, "original_max_position_embeddings", maxPositionEmbeddings) : 0;
    RopeParameters p = new RopeParameters(type, theta, factor,
        number(node, "low_freq_factor", 1), number(node, "high_freq_factor", 4), originalMax,
        positiveOr(node, "beta_fast", 32), positiveOr(node, "beta_slow", 1),
        optional(node, "attention_factor"), optional(node, "mscale"), optional(node, "mscale_all_dim"),
        !node.has("truncate") || node.get("truncate").asBoolean(true),
        number(node, "partial_rotary_factor", 1));
    switch (type) {
      case "default", "linear", "llama3", "yarn" -> { }
      default -> throw new CheckpointException("config.json: rope type '" + type
          + "' is not supported (supported: default, linear, llama3, yarn)");
    }
    if (p.partialRotaryFactor() != 1) {
      throw new CheckpointException("config.json: partial_rotary_factor " + p.partialRotaryFactor()
          + " is not supported (only full-width rotary embeddings)");
    }
    if (theta <= 0 || factor <= 0) {
      throw new CheckpointException("config.json: rope_theta and rope factor must be positive, found " + theta + " and " + factor);
    }
    return p;
  }

  private static String text(JsonNode n, String key, String fallback) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? fallback : v.asText();
  }

  private static double number(JsonNode n, String key, double fallback) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? fallback : v.asDouble();
  }

  /** transformers reads beta_fast/beta_slow with {@code get(...) or default}: 0 means default too. */
  private static double positiveOr(JsonNode n, String key, double fallback) {
    double v = number(n, key, 0);
    return v == 0 ? fallback : v;
  }

  private static Double optional(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? null : v.asDouble();
  }

  /** The number of rotated dimensions of a head of {@code headDim}. */
  public int rotaryDim(int headDim) { return (int) (headDim * partialRotaryFactor); }

  /**
   * The inverse frequencies, {@code rotaryDim/2} of them, in float32 as transformers computes them
   * (so that angles agree to the last bit that matters).
   */
  public float[] inverseFrequencies(int headDim) {
    int dim = rotaryDim(headDim);
    int half = dim / 2;
    float[] base = new float[half];
    for (int i = 0; i < half; i++) {
      base[i] = (float) (1.0 / Math.pow((float) theta, (float) (2 * i) / dim));
    }
    switch (type) {
      case "linear" -> {
        for (int i = 0; i < half; i++) {
          base[i] = (float) (base[i] / factor);
        }
        return base;
      }
      case "llama3" -> {
        return llama3(base);
      }
      case "yarn" -> {
        return yarn(dim);
      }
      default -> {
        return base;
      }
    }
  }

  /** Llama 3.1: low frequencies divided by factor, high kept, a smooth ramp between. */
  private float[] llama3(float[] inv) {
    double lowFreqWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
    double highFreqWavelen = originalMaxPositionEmbeddings / highFreqFactor;
    float[] out = new float[inv.length];
    for (int i = 0; i < inv.length; i++) {
      double wavelen = 2 * Math.PI / inv[i];
      double scaled = wavelen > lowFreqWavelen ? inv[i] / factor : inv[i];
      boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
      if (medium) {
        double smooth = (originalMaxPositionEmbeddings / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        scaled = (1 - smooth) * scaled / factor + smooth * scaled;
      }
      out[i] = (float) scaled;
    }
    return out;
  }

  /** YaRN: interpolated frequencies below a correction range, extrapolated above, a ramp between. */
  private float[] yarn(int dim) {
    double low = correctionDim(betaFast, dim);
    double high = correctionDim(betaSlow, dim);
    if (truncate) {
      low = Math.floor(low);
      high = Math.ceil(high);
    }
    low = Math.max(low, 0);
    high = Math.min(high, dim - 1);
    if (low == high) {
      high += 0.001; // as transformers: avoid dividing by zero
    }
    int half = dim / 2;
    float[] out = new float[half];
    for (int i = 0; i < half; i++) {
      float posFreq = (float) Math.pow((float) theta, (float) (2 * i) / dim);
      float extrapolation = 1.0f / posFreq;
      float interpolation = (float) (1.0 / (factor * posFreq));
      float ramp = (float) Math.min(1, Math.max(0, (i - low) / (high - low)));
      float extrapolationFactor = 1 - ramp;
      out[i] = interpolation * (1 - extrapolationFactor) + extrapolation * extrapolationFactor;
    }
    return out;
  }

  private double correctionDim(double rotations, int dim) {
    return dim * Math.log(originalMaxPositionEmbeddings / (rotations * 2 * Math.PI)) / (2 * Math.log(theta));
  }

  /** The factor transformers multiplies cos and sin by (1 except for yarn). */
  public double attentionScaling() {
    if (!type.equals("yarn")) {
      return 1;
    }
    if (attentionFactor != null) {
      return attentionFactor;
    }
    if (mscale != null && mscaleAllDim != null && mscale != 0 && mscaleAllDim != 0) {
      return yarnMscale(factor, mscale) / yarnMscale(factor, mscaleAllDim);
    }
    return yarnMscale(factor, 1);
  }

  private static double yarnMscale(double scale, double m) {
    return scale <= 1 ? 1 : 0.1 * m * Math.log(scale) + 1;
  }

  /** This as a {@code rope_parameters} dictionary of transformers 5. */
  void writeTo(ObjectNode node) {
    node.put("rope_type", type);
    node.put("rope_theta", theta);
    if (!type.equals("default")) {
      node.put("factor", factor);
    }
    if (type.equals("llama3")) {
      node.put("low_freq_factor", lowFreqFactor);
      node.put("high_freq_factor", highFreqFactor);
    }
    if (type.equals("llama3") || type.equals("yarn")) {
      node.put("original_max_position_embeddings", originalMaxPositionEmbeddings);
    }
  }
}
