package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.foresight.worker.checkpoint.Family;
import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.checkpoint.RopeParameters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Tiny models of every family with every weight random (biases and norms too), for tests. */
public final class TinyModels {

  private TinyModels() {}

  /** A tiny config of {@code family}: GQA (4 query heads, 2 KV heads), sliding windows where the family has them. */
  public static ModelConfig config(Family family) {
    int layers = 3;
    List<Boolean> sliding = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      sliding.add(switch (family) {
        case MISTRAL -> true;
        case OLMO3 -> i != 2;
        case QWEN2 -> i >= 1;
        default -> false;
      });
    }
    int window = sliding.contains(true) ? 4 : 0;
    RopeParameters rope = RopeParameters.defaults(10000);
    return new ModelConfig(family, 50, 32, 48, layers, 4, 2, 8, 1e-5, 64, family == Family.QWEN2,
        false, false, window, sliding, rope, rope, 1, List.of(2), "float32");
  }

  /** Every tensor ~ N(0, std²), norm weights ~ 1 + N(0, std²): so that every weight matters. */
  public static WeightProvider noisy(NDManager manager, long seed, double std) {
    return new WeightProvider() {
      @Override
      public NDArray get(String name, Shape shape) {
        SplittableRandom r = new SplittableRandom(seed ^ name.hashCode());
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
          double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
          v[i] = (float) ((name.endsWith("norm.weight") ? 1 : 0) + g * std);
        }
        return manager.create(v, shape);
      }

      @Override
      public boolean has(String name) { return false; }

      @Override
      public Shape shapeOf(String name) { return null; }
    };
  }

  public static CausalLm model(Family family, NDManager parent, long seed) throws IOException {
    NDManager m = parent.newSubManager();
    return new CausalLm(config(family), noisy(m, seed, 0.3), m, DataType.FLOAT32);
  }
}
