package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for the tokens seen so far, preallocated to a capacity so that a
 * decode step writes one slot instead of copying the whole cache. Lives in its own manager,
 * outside the per-step scopes.
 */
public final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final Shape shape;
  private final DataType dtype;
  private int length;

  public KvCache(NDManager parent, int layers, int batch, int kvHeads, int headDim, int capacity, DataType dtype) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
    this.shape = new Shape(batch, kvHeads, capacity, headDim);
    this.dtype = dtype;
  }

  /** Tokens cached so far. */
  public int length() { return length; }

  public int capacity() { return (int) shape.get(2); }

  /** Writes k, v [B, kvHeads, T, headDim] after the cached tokens; returns all keys and values so far. */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    int t = (int) k.getShape().get(2);
    if (length + t > capacity()) {
      throw new IllegalStateException("KV cache full: " + length + " + " + t + " > " + capacity());
    }
    if (keys[layer] == null) {
      // On the layer's device: a model split over devices keeps each layer's cache beside it.
      keys[layer] = manager.zeros(shape, dtype, k.getDevice());
      values[layer] = manager.zeros(shape, dtype, k.getDevice());
      // Created during a step, but they outlive it: keep them out of the step's scope.
      NDScope.unregister(keys[layer], values[layer]);
    }
    NDIndex slots = new NDIndex(":, :, {}:{}", length, length + t);
    keys[layer].set(slots, k);
    values[layer].set(slots, v);
    NDIndex upTo = new NDIndex(":, :, :{}", length + t);
    return new NDArray[] {keys[layer].get(upTo), values[layer].get(upTo)};
  }

  /** Called once per forward pass, after every layer has appended its t tokens. */
  void advance(int t) { length += t; }

  @Override
  public void close() { manager.close(); }
}
