package dev.foresight.worker.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (decoupled weight decay, Loshchilov &amp; Hutter) over a fixed list of parameters, with
 * the moment estimates kept in the optimiser's own manager. Updates run outside autograd, in place.
 * Weight decay applies to matrices only, not to norm weights or biases (the usual practice).
 */
public final class AdamW implements AutoCloseable {

  private final List<NDArray> parameters;
  private final List<NDArray> firstMoments = new ArrayList<>();
  private final List<NDArray> secondMoments = new ArrayList<>();
  private final NDManager manager;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private int step;

  public AdamW(List<NDArray> parameters, NDManager parent, double beta1, double beta2, double eps, double weightDecay) {
    this.parameters = List.copyOf(parameters);
    this.manager = parent.newSubManager();
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    for (NDArray p : parameters) {
      firstMoments.add(manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
      secondMoments.add(manager.zeros(p.getShape(), p.getDataType(), p.getDevice()));
    }
  }

  /** One update with the gradients currently attached to the parameters. */
  public void update(double learningRate, List<NDArray> gradients) {
    step++;
    double correction1 = 1 - Math.pow(beta1, step);
    double correction2 = 1 - Math.pow(beta2, step);
    for (int i = 0; i < parameters.size(); i++) {
      NDArray p = parameters.get(i);
      NDArray g = gradients.get(i);
      NDArray m = firstMoments.get(i);
      NDArray v = secondMoments.get(i);
      m.muli(beta1).addi(g.mul(1 - beta1));
      v.muli(beta2).addi(g.square().muli(1 - beta2));
      if (weightDecay > 0 && p.getShape().dimension() >= 2) {
        p.muli(1 - learningRate * weightDecay);
      }
      NDArray denominator = v.div(correction2).sqrt().addi(eps);
      p.subi(m.div(correction1).divi(denominator).muli(learningRate));
    }
  }

  public int steps() { return step; }

  @Override
  public void close() { manager.close(); }
}
