package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Map;

/**
 * {@code x / sqrt(mean(x²) + eps) · weight} over the last axis, computed in float32 whatever the
 * model's dtype (as transformers' LlamaRMSNorm does).
 */
final class RmsNorm {

  final NDArray weight;
  /** A long-lived array, not a Java float: DJL frees scalar temporaries that backward still reads. */
  private final NDArray eps;

  RmsNorm(WeightProvider weights, String name, int dim, double eps, Map<String, NDArray> registry) throws IOException {
    this.weight = Linear.register(registry, name, weights.get(name, new Shape(dim)));
    this.eps = weight.getManager().create((float) eps);
  }

  NDArray forward(NDArray x) {
    DataType type = x.getDataType();
    NDArray x32 = type == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
    NDArray rms = x32.square().mean(new int[] {-1}, true).add(eps).sqrt();
    NDArray normed = x32.div(rms);
    return (type == DataType.FLOAT32 ? normed : normed.toType(type, false)).mul(weight);
  }
}
