package dev.foresight.worker.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.foresight.worker.model.CausalLm;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a {@link CausalLm} on next-token prediction: cross-entropy over the positions a loss mask
 * selects (e.g. only the answer of a prompt/answer pair), AdamW, gradient clipping by global norm.
 * Each step runs in its own NDScope and leaves the gradients zeroed for the next; the loss arithmetic uses
 * long-lived NDArray constants, never Java scalars, which DJL would free before backward reads them.
 */
public final class LmTrainer implements AutoCloseable {

  /** Training settings. */
  public record Options(double learningRate, double weightDecay, double maxGradNorm) {
    public static Options defaults() { return new Options(3e-3, 0.01, 1.0); }
  }

  private final CausalLm model;
  private final Options options;
  private final List<NDArray> parameters;
  private final AdamW optimizer;
  private final NDManager constants;
  private final NDArray one;

  public LmTrainer(CausalLm model, Options options) {
    if (model.dtype() != DataType.FLOAT32) {
      throw new IllegalArgumentException("training needs a float32 model, not " + model.dtype());
    }
    this.model = model;
    this.options = options;
    this.parameters = new ArrayList<>(model.parameters().values());
    for (NDArray p : parameters) {
      p.setRequiresGradient(true);
    }
    this.optimizer = new AdamW(parameters, model.manager(), 0.9, 0.95, 1e-8, options.weightDecay());
    this.constants = model.manager().newSubManager();
    this.one = constants.create(1f);
  }

  /**
   * One optimisation step on a batch.
   *
   * @param inputs token ids [B][T]
   * @param targets the next token at each position [B][T]
   * @param lossMask 1 where the prediction counts, 0 elsewhere [B][T]
   * @return the mean cross-entropy over the masked positions (nats per token)
   */
  public float step(long[][] inputs, long[][] targets, float[][] lossMask) {
    return step(inputs, targets, lossMask, options.learningRate());
  }

  /** {@link #step(long[][], long[][], float[][])} with a scheduled learning rate. */
  public float step(long[][] inputs, long[][] targets, float[][] lossMask, double learningRate) {
    int b = inputs.length;
    int t = inputs[0].length;
    try (NDScope scope = new NDScope()) {
      NDManager m = model.manager();
      NDArray ids = m.create(flatten(inputs), new Shape(b, t));
      NDArray target = m.create(flatten(targets), new Shape(b, t, 1));
      NDArray mask = m.create(flatten(lossMask), new Shape(b, t));
      float loss;
      List<NDArray> gradients = new ArrayList<>();
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray logp = model.logitsForSequences(ids).logSoftmax(-1);
        NDArray picked = logp.gather(target, 2).squeeze(2);
        NDArray total = mask.sum().maximum(one);
        NDArray lossArray = picked.mul(mask).sum().neg().div(total);
        collector.backward(lossArray);
        loss = lossArray.getFloat();
      }
      for (NDArray p : parameters) {
        gradients.add(p.getGradient());
      }
      clip(gradients);
      optimizer.update(learningRate, gradients);
      for (NDArray g : gradients) {
        g.subi(g); // zero for the next step: backward accumulates into the same buffers
      }
      scope.suppressNotUsedWarning();
      return loss;
    }
  }

  private void clip(List<NDArray> gradients) {
    double squares = 0;
    for (NDArray g : gradients) {
      squares += g.square().sum().getFloat();
    }
    double norm = Math.sqrt(squares);
    if (norm > options.maxGradNorm()) {
      float scale = (float) (options.maxGradNorm() / (norm + 1e-6));
      for (NDArray g : gradients) {
        g.muli(scale);
      }
    }
  }

  private static long[] flatten(long[][] rows) {
    int t = rows[0].length;
    long[] flat = new long[rows.length * t];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * t, t);
    }
    return flat;
  }

  private static float[] flatten(float[][] rows) {
    int t = rows[0].length;
    float[] flat = new float[rows.length * t];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * t, t);
    }
    return flat;
  }

  public int steps() { return optimizer.steps(); }

  @Override
  public void close() {
    optimizer.close();
    constants.close();
  }
}
