package dev.foresight.worker.bundle;

import dev.foresight.worker.checkpoint.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What a probe needs a checkpoint to share with the ones it was trained on: the same architecture
 * and shape (so its hidden states have the width and meaning the probe learned) and the same
 * tokenizer (so the prompts become the same tokens).
 */
public record ModelSignature(String architecture, int hiddenSize, int layers, String tokenizerHash) {

  public static ModelSignature of(ModelConfig config, String tokenizerHash) {
    return new ModelSignature(config.family().architecture(), config.hiddenSize(), config.numLayers(), tokenizerHash);
  }

  /** Every way {@code checkpoint} differs from this (the probe's) signature, in words; empty when it fits. */
  public List<String> mismatches(ModelSignature checkpoint) {
    List<String> m = new ArrayList<>();
    if (!architecture.equals(checkpoint.architecture)) {
      m.add("architecture: probe trained on " + architecture + ", checkpoint is " + checkpoint.architecture);
    }
    if (hiddenSize != checkpoint.hiddenSize) {
      m.add("hidden size: probe expects " + hiddenSize + ", checkpoint has " + checkpoint.hiddenSize);
    }
    if (layers != checkpoint.layers) {
      m.add("layer count: probe expects " + layers + ", checkpoint has " + checkpoint.layers);
    }
    if (!tokenizerHash.equals(checkpoint.tokenizerHash)) {
      m.add("tokenizer: probe trained with " + tokenizerHash + ", checkpoint has " + checkpoint.tokenizerHash);
    }
    return m;
  }
}
