package dev.foresight.worker.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.foresight.worker.model.MapWeights;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Where a head gets its parameters: freshly initialised from a seed (training), or from a bundle's
 * weights, in which case every name and shape is checked and a mismatch names the tensor.
 */
public final class HeadWeights {
  private final NDManager manager;
  private final Map<String, NDArray> loaded;
  private final SplittableRandom random;
  private final Map<String, NDArray> taken = new LinkedHashMap<>();

  private HeadWeights(NDManager manager, Map<String, NDArray> loaded, SplittableRandom random) {
    this.manager = manager;
    this.loaded = loaded;
    this.random = random;
  }

  /** New parameters: uniform in ±1/√fan-in (PyTorch's nn.Linear default), from {@code seed}. */
  public static HeadWeights initialise(NDManager manager, long seed) {
    return new HeadWeights(manager, null, new SplittableRandom(seed));
  }

  public static HeadWeights of(NDManager manager, Map<String, NDArray> weights) {
    return new HeadWeights(manager, weights, null);
  }

  public NDManager manager() { return manager; }

  /** A parameter of {@code shape}, initialised uniformly in ±1/√{@code fanIn} when new. */
  public NDArray uniform(String name, Shape shape, long fanIn) {
    if (loaded != null) {
      return take(name, shape);
    }
    double bound = 1 / Math.sqrt(fanIn);
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
    return put(name, manager.create(values, shape));
  }

  /** A parameter of {@code shape}, filled with {@code value} when new. */
  public NDArray constant(String name, Shape shape, float value) {
    if (loaded != null) {
      return take(name, shape);
    }
    return put(name, manager.full(shape, value));
  }

  /** A parameter whose initial value the caller computed (normalisation statistics). */
  public NDArray given(String name, float[] values, Shape shape) {
    if (loaded != null) {
      return take(name, shape);
    }
    return put(name, manager.create(values, shape));
  }

  private NDArray take(String name, Shape shape) {
    try {
      return put(name, new MapWeights(loaded).get(name, shape)); // checks presence and shape
    } catch (NoSuchElementException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private NDArray put(String name, NDArray a) {
    a.setName(name);
    taken.put(name, a);
    return a;
  }

  /** Loaded tensors whose names start with {@code prefix}, by full name (empty for new weights). */
  public Map<String, NDArray> takePrefixed(String prefix) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    if (loaded != null) {
      loaded.forEach((name, a) -> {
        if (name.startsWith(prefix)) {
          out.put(name, put(name, a));
        }
      });
    }
    return out;
  }

  /** Every parameter handed out so far, in order. */
  public Map<String, NDArray> taken() { return new LinkedHashMap<>(taken); }

  /** Fails if loaded weights hold tensors no part asked for: a bundle of another shape. */
  public void requireAllUsed() {
    if (loaded != null) {
      for (String name : loaded.keySet()) {
        if (!taken.containsKey(name)) {
          throw new IllegalArgumentException("unexpected tensor '" + name + "'");
        }
      }
    }
  }
}
