package dev.foresight.worker.runtime;

import java.util.Map;

/**
 * Prefill's result for one prompt.
 *
 * @param promptLength tokens in the prompt
 * @param hiddenSize the width of each vector
 * @param layers per requested layer index: row-major [positions, hiddenSize] floats, where
 *     positions is 1 for a pooled vector and the span's length for every position ({@link Pooling})
 * @param continuationLogProbs natural-log probability of each continuation token given everything
 *     before it (empty without a continuation or when not requested)
 * @param samplerLogProb natural-log probability that the {@link SamplerView} asked for writes the whole
 *     continuation and then an end token; NaN when not asked for
 */
public record PromptStates(int promptLength, int hiddenSize, Map<Integer, float[]> layers, float[] continuationLogProbs,
    double samplerLogProb) {

  public PromptStates {
    layers = Map.copyOf(layers);
  }

  public float[] layer(int index) {
    float[] v = layers.get(index);
    if (v == null) {
      throw new IllegalArgumentException("layer " + index + " was not requested; have " + layers.keySet());
    }
    return v;
  }

  /** Vectors per layer: 1 for a pooled vector, else the positions of the pooling's span (0 with no layer). */
  public int positions() {
    return layers.isEmpty() ? 0 : layers.values().iterator().next().length / hiddenSize;
  }

  /** The summed log-probability of the continuation (0 for none). */
  public double continuationLogProb() {
    double sum = 0;
    for (float v : continuationLogProbs) {
      sum += v;
    }
    return sum;
  }
}
