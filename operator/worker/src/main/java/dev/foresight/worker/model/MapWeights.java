package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/** Weights from arrays already in memory: a copy of another model's, or a training checkpoint's. */
public final class MapWeights implements WeightProvider {

  private final Map<String, NDArray> arrays;

  public MapWeights(Map<String, NDArray> arrays) {
    this.arrays = arrays;
  }

  /** Fresh float32 copies of {@code source} in {@code manager}, independent of the originals. */
  public static MapWeights copyOf(Map<String, NDArray> source, NDManager manager) {
    Map<String, NDArray> copies = new LinkedHashMap<>();
    source.forEach((name, array) -> {
      // toDevice/toType return the array itself when nothing changes: duplicate() makes the copy.
      NDArray moved = array.toDevice(manager.getDevice(), false);
      NDArray typed = moved.toType(DataType.FLOAT32, false);
      NDArray copy = typed.duplicate();
      copy.attach(manager);
      if (typed != array) {
        typed.close();
      }
      if (moved != array && moved != typed) {
        moved.close();
      }
      copies.put(name, copy);
    });
    return new MapWeights(copies);
  }

  @Override
  public NDArray get(String name, Shape shape) {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new NoSuchElementException("no weight '" + name + "'");
    }
    if (!a.getShape().equals(shape)) {
      throw new IllegalArgumentException("weight '" + name + "' has shape " + a.getShape() + ", expected " + shape);
    }
    return a;
  }

  @Override
  public boolean has(String name) { return arrays.containsKey(name); }

  @Override
  public Shape shapeOf(String name) { return arrays.get(name).getShape(); }
}
