package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Map;

/** {@code y = x Wᵀ + b}, a {@code torch.nn.Linear} with weight [out, in] and an optional bias. */
final class Linear {

  final NDArray weight;
  final NDArray bias;

  Linear(WeightProvider weights, String prefix, int in, int out, boolean bias, Map<String, NDArray> registry)
      throws IOException {
    this.weight = register(registry, prefix + ".weight", weights.get(prefix + ".weight", new Shape(out, in)));
    this.bias = bias ? register(registry, prefix + ".bias", weights.get(prefix + ".bias", new Shape(out))) : null;
  }

  NDArray forward(NDArray x) {
    // One fused addmm through torch.nn.functional.linear, not matMul + add.
    return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
  }

  static NDArray register(Map<String, NDArray> registry, String name, NDArray array) {
    registry.put(name, array);
    return array;
  }
}
