package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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

  /** The bias [B or 1, 1, queries, keys] for attention with {@code window} (0 = unlimited). */
  NDArray bias(NDManager manager, int window) {
    int keys = keys();
    int rows = keyValid == null ? 1 : keyValid.length;
    float[] bias = new float[rows * queries * keys];
    for (int b = 0; b < rows; b++) {
      for (int q = 0; q < queries; q++) {
        int slot = queryStart + q;
        int base = (b * queries + q) * keys;
        for (int k = 0; k < keys; k++) {
          boolean visible = k <= slot && (window <= 0 || k > slot - window)
              && (keyValid == null || keyValid[b][k]);
          if (!visible) {
            bias[base + k] = HIDDEN;
          }
        }
      }
    }
    return manager.create(bias, new Shape(rows, 1, queries, keys));
  }
}
