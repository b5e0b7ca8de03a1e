package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A fresh model's weights, as transformers initialises a Llama: matrices ~ N(0, 0.02²), norm
 * weights 1, biases 0. Each tensor draws from its own streams seeded by (seed, name), in Java, so
 * the same seed gives the same model on every device, core count and build order.
 */
public final class RandomWeights implements WeightProvider {

  private static final int CHUNK = 1 << 20;

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
      // Blocks of CHUNK values, each from its own stream: parallel, yet the same on any core count.
      int chunks = (n + CHUNK - 1) / CHUNK;
      IntStream.range(0, chunks).parallel().forEach(c -> {
        SplittableRandom random = new SplittableRandom((seed * 0x9E3779B97F4A7C15L ^ name.hashCode()) * 31 + c);
        for (int i = c * CHUNK, end = Math.min(n, (c + 1) * CHUNK); i < end; i++) {
          values[i] = (float) (gaussian(random) * std);
        }
      });
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
