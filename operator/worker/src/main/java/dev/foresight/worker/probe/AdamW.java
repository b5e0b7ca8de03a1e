package dev.foresight.worker.probe;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter), updating parameters in place. Its
 * moment estimates are created once, beside the parameters, so they outlive the per-step scopes.
 * Call {@link #step()} after the gradient collector is closed (in-place updates of leaves are only
 * allowed outside autograd); it also zeroes the gradients, which PyTorch would otherwise add up.
 * Biases are not decayed.
 */
final class AdamW {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;
  private static final float EPSILON = 1e-8f;

  private record Slot(NDArray param, NDArray m, NDArray v, boolean decay) {}

  private final List<Slot> slots = new ArrayList<>();
  private final float learningRate;
  private final float weightDecay;
  private int t;

  AdamW(Map<String, NDArray> params, float learningRate, float weightDecay) {
    this.learningRate = learningRate;
    this.weightDecay = weightDecay;
    params.forEach((name, p) -> {
      p.setRequiresGradient(true);
      slots.add(new Slot(p, p.zerosLike(), p.zerosLike(), !name.endsWith("bias")));
    });
  }

  /** One update from the gradients of the last backward pass. Temporaries belong to the caller's scope. */
  void step() {
    t++;
    float correction1 = 1 - (float) Math.pow(BETA1, t);
    float correction2 = 1 - (float) Math.pow(BETA2, t);
    for (Slot s : slots) {
      NDArray g = s.param().getGradient();
      s.m().muli(BETA1).addi(g.mul(1 - BETA1));
      s.v().muli(BETA2).addi(g.square().muli(1 - BETA2));
      NDArray update = s.m().div(correction1).divi(s.v().div(correction2).sqrt().addi(EPSILON));
      if (s.decay() && weightDecay > 0) {
        s.param().muli(1 - learningRate * weightDecay);
      }
      s.param().subi(update.muli(learningRate));
      g.subi(g);
    }
  }
}
