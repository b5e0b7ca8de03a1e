package dev.foresight.worker.features;

import dev.foresight.worker.runtime.Pooling;
import java.util.List;

/**
 * Which hidden states a probe reads: the layers (Hugging Face indexing, 0 = embeddings,
 * concatenated per position in this order) and the positions (pooling).
 */
public record FeatureSpec(List<Integer> layers, Pooling pooling) {

  public FeatureSpec {
    layers = List.copyOf(layers);
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("at least one layer is needed");
    }
    if (layers.stream().distinct().count() != layers.size()) {
      throw new IllegalArgumentException("layers repeat: " + layers);
    }
  }

  /** Features per position for a model of {@code hiddenSize}. */
  public int width(int hiddenSize) { return hiddenSize * layers.size(); }

  public boolean everyPosition() { return pooling.everyPosition(); }
}
