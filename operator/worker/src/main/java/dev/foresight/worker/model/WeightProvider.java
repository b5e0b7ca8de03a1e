package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;

/**
 * Where a model part gets its weights, by Hugging Face name: a checkpoint being loaded, a seeded
 * random initialiser, or copies of another model's arrays. The part states the shape it expects;
 * the provider returns an array of exactly that shape in the model's dtype and on its device.
 */
public interface WeightProvider {

  NDArray get(String name, Shape shape) throws IOException;

  /** Whether the weight exists (optional biases, per-head vs full-width QK-norm). */
  boolean has(String name);

  /** The stored shape of a weight, for parts that tell variants apart by shape. */
  Shape shapeOf(String name);
}
