package dev.foresight.worker.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Map;

/**
 * Logistic regression on standardised features: {@code logit = x·w + b} (w a [width, 1] matrix, so it is decayed).
 *
 * <p>Beside {@link SideInputs}, the states' weights also pay a ridge penalty ({@value #STATES_RIDGE}/2 · Σ w²,
 * in the loss): the side inputs mean the same on every checkpoint, the states drift, and a head free to
 * lean on the labelled checkpoints' states reads later checkpoints off its map. The penalty keeps the
 * states to what they add beside the side inputs. Chosen on the development worlds (docs/demo.md,
 * "Choices"); the optimiser's weight decay alone (1e-2 at a learning rate of 1e-2) was too weak to.
 */
final class LinearHead implements ProbeHead {
  /** Ridge on the states' weights when the head also reads side inputs. */
  static final float STATES_RIDGE = 0.03f;

  private final FeatureNorm norm;
  private final NDArray weight;
  private final NDArray bias;
  private final Map<String, NDArray> weights;
  private final int statesWidth;
  private final boolean ridge;

  LinearHead(HeadShape shape, HeadWeights w, FeatureStats stats) {
    int width = shape.width();
    this.statesWidth = shape.inputWidth();
    this.ridge = shape.sideInputs().any();
    this.norm = new FeatureNorm(w, width, stats);
    // Zero start: the loss is convex, and the first steps then follow the data, not the seed.
    this.weight = w.constant("linear.weight", new Shape(width, 1), 0f);
    this.bias = w.constant("linear.bias", new Shape(), 0f);
    this.weights = w.taken();
  }

  @Override
  public ProbeFamily family() { return ProbeFamily.LINEAR; }

  @Override
  public NDArray logits(ProbeInput input) {
    return norm.apply(input.states()).matMul(weight).reshape(input.batchSize()).add(bias);
  }

  @Override
  public NDArray penalty() {
    if (!ridge) {
      return null;
    }
    return weight.get(new NDIndex("0:{}", statesWidth)).square().sum().mul(STATES_RIDGE / 2);
  }

  @Override
  public Map<String, NDArray> trainable() {
    return FeatureNorm.withoutStatistics(weights);
  }

  @Override
  public Map<String, NDArray> weights() { return weights; }
}
