package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * A fresh model's weights, as transformers initialises a Llama: matrices ~ N(0, 0.02²), norm
 * weights 1, biases 0. Each tensor draws from its own stream seeded by (seed, name), in Java, so
 * the same seed gives the same model on every device and whatever order the parts are built in.
 */
public final class RandomWeights implements WeightProvider {

  private final NDManager manager;
  private final long seed;
  private final double std;

  public RandomWeights(NDManager manager, long seed) {
    this(manager, seed, 0.02);
  }

  public RandomWeights(NDManager manager, long seed, double std) {
    this.manager = manager;
    this.seed = seed;
    this.std = std;
  }

  @Override
  public NDArray get(String name, Shape shape) {
    int n = Math.toIntExact(shape.size());
    float[] values = new float[n];
    if (name.endsWith("norm.weight")) {
      java.util.Arrays.fill(values, 1f);
    } else if (!name.endsWith(".bias")) {
      SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ name.hashCode());
      for (int i = 0; i < n; i++) {
        values[i] = (float) (gaussian(random) * std);
      }
    }
    return manager.create(values, shape);
  }

  /** Box–Muller (SplittableRandom has no nextGaussian in Java 17). */
  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  /** Nothing is stored: variants that are told apart by stored shapes take their default. */
  @Override
  public boolean has(String name) { return false; }

  @Override
  public Shape shapeOf(String name) { return null; }
}
