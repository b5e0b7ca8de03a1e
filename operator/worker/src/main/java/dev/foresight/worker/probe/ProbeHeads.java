package dev.foresight.worker.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Activation;
import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.model.CausalLm;

/** Builds heads by family, and runs them on datasets. */
public final class ProbeHeads {
  private static final int PREDICT_BATCH = 256;

  private ProbeHeads() {}

  /**
   * A head of {@code shape} with {@code weights}; {@code stats} are the training inputs'
   * normalisation statistics for new weights, null for loaded ones.
   *
   * @throws IllegalArgumentException naming a missing, extra or misshaped tensor of loaded weights
   */
  public static ProbeHead create(HeadShape shape, HeadWeights weights, FeatureStats stats) {
    ProbeHead head = switch (shape.family()) {
      case LINEAR -> new LinearHead(shape, weights, stats);
      case MLP -> new MlpHead(shape, weights, stats);
      case ATTENTION -> new AttentionPoolingHead(shape, weights, stats);
      case SUBMODEL -> throw new IllegalArgumentException("a submodel probe is built from a model: use submodel() or loadSubmodel()");
    };
    weights.requireAllUsed();
    return head;
  }

  /** A new submodel probe: trainable copies of {@code model}'s last {@code shape.blocks()} blocks and a zero head. */
  public static ProbeHead submodel(HeadShape shape, CausalLm model, HeadWeights weights) {
    return SubmodelHead.fromModel(shape, model, weights);
  }

  /**
   * A stored submodel probe.
   *
   * @param config the blocks' model config (kept in the bundle)
   * @throws IllegalArgumentException naming a missing, extra or misshaped tensor
   */
  public static ProbeHead loadSubmodel(HeadShape shape, ModelConfig config, HeadWeights weights) {
    ProbeHead head = SubmodelHead.load(shape, config, weights);
    weights.requireAllUsed();
    return head;
  }

  /** The head's probability of success for every row of {@code data}, in row order. */
  public static double[] predict(ProbeHead head, ProbeDataset data, NDManager manager) {
    double[] p = new double[data.size()];
    for (int start = 0; start < p.length; start += PREDICT_BATCH) {
      int[] idx = new int[Math.min(PREDICT_BATCH, p.length - start)];
      for (int b = 0; b < idx.length; b++) {
        idx[b] = start + b;
      }
      try (NDScope scope = new NDScope()) {
        NDArray probs = Activation.sigmoid(head.logits(data.input(manager, idx)));
        float[] values = probs.toFloatArray();
        for (int b = 0; b < idx.length; b++) {
          p[start + b] = values[b];
        }
        scope.suppressNotUsedWarning();
      }
    }
    return p;
  }
}
