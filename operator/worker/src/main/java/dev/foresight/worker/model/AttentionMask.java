package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Which keys each query may attend to, as an additive bias: causal, optionally limited to a
 * sliding window, optionally hiding padding keys (left-padded generation). Right-padded prefill
 * needs no padding mask: a real token never sits after padding, so causality already hides it.
 */
public final class AttentionMask {

  /**
   * Added to the scores of hidden keys. Finite on purpose: a query with every key hidden (a padding
   * query) then gets a harmless uniform average instead of NaN, which would leak into real rows
   * through 0·NaN in the next layer.
   */
  static final float HIDDEN = -1e9f;

  private final int queryStart;
  private final int queries;
  private final boolean[][] keyValid;

  private AttentionMask(int queryStart, int queries, boolean[][] keyValid) {
    this.queryStart = queryStart;
    this.queries = queries;
    this.keyValid = keyValid;
  }

  /** Queries 0..T-1 over keys 0..T-1: prefill and training. */
  public static AttentionMask causal(int length) {
    return new AttentionMask(0, length, null);
  }

  /**
   * Queries at cache slots {@code queryStart .. queryStart+queries-1} over all slots so far, with
   * {@code keyValid[b][slot]} false for padding.
   */
  public static AttentionMask padded(int queryStart, int queries, boolean[][] keyValid) {
    return new AttentionMask(queryStart, queries, keyValid);
  }

  int keys() { return queryStart + queries; }

  /**
   * The bias [B or 1, 1, queries, keys] for attention with {@code window} (0 = unlimited). Built
   * from broadcast comparisons on the engine, never as a Java array: queries × keys alone passes
   * 2^31 at 46,341 tokens, and a batch's B × queries × keys long before that.
   */
  NDArray bias(NDManager manager, int window) {
    int keys = keys();
    NDArray key = manager.arange(0, keys, 1, DataType.INT64).reshape(1, keys);
    NDArray slot = manager.arange(queryStart, keys, 1, DataType.INT64).reshape(queries, 1);
    NDArray visible = key.lte(slot);
    if (window > 0) {
      visible = visible.logicalAnd(key.gt(slot.sub(window)));
    }
    visible = visible.reshape(1, 1, queries, keys);
    if (keyValid != null) {
      boolean[] valid = new boolean[ArrayLength.of("padding mask [sequences × keys]", keyValid.length, keys)];
      for (int b = 0; b < keyValid.length; b++) {
        System.arraycopy(keyValid[b], 0, valid, b * keys, keys);
      }
      visible = visible.logicalAnd(manager.create(valid, new Shape(keyValid.length, 1, 1, keys)));
    }
    // visible → (1 - 1) × 1e9 = 0, hidden → (0 - 1) × 1e9 = HIDDEN, exactly as floats.
    return visible.toType(DataType.FLOAT32, false).sub(1f).mul(-HIDDEN);
  }
}
