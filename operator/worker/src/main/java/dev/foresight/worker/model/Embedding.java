package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import java.io.IOException;
import java.util.Map;

/** Token ids [B, T] → vectors [B, T, D] ({@code model.embed_tokens}); also the tied output head. */
final class Embedding {

  final NDArray weight;

  Embedding(WeightProvider weights, String name, int vocab, int dim, Map<String, NDArray> registry) throws IOException {
    this.weight = Linear.register(registry, name, weights.get(name, new Shape(vocab, dim)));
  }

  NDArray forward(NDArray ids) {
    return weight.getNDArrayInternal().embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow();
  }
}
