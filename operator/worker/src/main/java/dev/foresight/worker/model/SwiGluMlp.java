package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import dev.foresight.worker.checkpoint.ModelConfig;
import java.io.IOException;
import java.util.Map;

/** {@code down(silu(gate(x)) · up(x))}, the MLP of every supported family. */
final class SwiGluMlp {

  private final Linear gate;
  private final Linear up;
  private final Linear down;

  SwiGluMlp(ModelConfig c, WeightProvider weights, String prefix, Map<String, NDArray> registry) throws IOException {
    this.gate = new Linear(weights, prefix + ".gate_proj", c.hiddenSize(), c.intermediateSize(), c.mlpBias(), registry);
    this.up = new Linear(weights, prefix + ".up_proj", c.hiddenSize(), c.intermediateSize(), c.mlpBias(), registry);
    this.down = new Linear(weights, prefix + ".down_proj", c.intermediateSize(), c.hiddenSize(), c.mlpBias(), registry);
  }

  NDArray forward(NDArray x) {
    NDArray g = gate.forward(x);
    NDArray silu = g.mul(g.getNDArrayInternal().sigmoid());
    return down.forward(silu.mul(up.forward(x)));
  }
}
