package dev.foresight.worker.runtime;

import java.util.List;

/**
 * How to generate.
 *
 * @param samples completions per prompt (n)
 * @param maxNewTokens the most tokens a completion may have
 * @param temperature 0 for greedy decoding, else the softmax temperature
 * @param topP nucleus sampling: keep the smallest set of tokens whose probability reaches topP (1 = all)
 * @param seed sampling seed: the same seed gives the same completions, whatever the batch size
 * @param stopStrings a completion ends at the first of these (the text is cut before it)
 * @param batchSize sequences (prompts × samples) decoded together
 */
public record SamplingOptions(int samples, int maxNewTokens, double temperature, double topP, long seed,
    List<String> stopStrings, int batchSize) {

  public SamplingOptions {
    stopStrings = List.copyOf(stopStrings);
    if (samples <= 0 || maxNewTokens <= 0 || batchSize <= 0) {
      throw new IllegalArgumentException("samples, maxNewTokens and batchSize must be positive");
    }
    if (temperature < 0 || topP <= 0 || topP > 1) {
      throw new IllegalArgumentException("temperature must be ≥ 0 and topP in (0, 1]");
    }
  }

  public static SamplingOptions greedy(int maxNewTokens) {
    return new SamplingOptions(1, maxNewTokens, 0, 1, 0, List.of(), 64);
  }

  public boolean greedyDecoding() { return temperature == 0; }
}
