package dev.foresight.worker.probe;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A trained or trainable probe: a function from a batch of hidden states to one logit per prompt
 * (the log-odds that the model answers the prompt correctly). Heads keep their parameters as named
 * arrays, so that training, saving to {@code weights.safetensors} and loading need no framework
 * beyond NDArray.
 */
public interface ProbeHead {

  ProbeFamily family();

  /** {@code [batch]} logits. Only NDArray operations, so the same code trains under autograd. */
  NDArray logits(ProbeInput input);

  /** The parameters training updates, by name. */
  Map<String, NDArray> trainable();

  /** Everything a bundle stores: the trainable parameters and fixed ones such as normalisation statistics. */
  Map<String, NDArray> weights();

  /**
   * A term training adds to the loss beside the optimiser's weight decay (a scalar, under autograd),
   * or null for none. Held-out losses leave it out.
   */
  default NDArray penalty() { return null; }

  /** Text the bundle must keep beside the weights to rebuild this head (the submodel's config.json). */
  default Map<String, String> metadata() { return Map.of(); }
}
