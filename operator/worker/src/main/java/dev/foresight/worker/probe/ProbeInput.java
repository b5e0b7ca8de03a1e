package dev.foresight.worker.probe;

import ai.djl.ndarray.NDArray;

/**
 * A batch of prompts as a probe sees them.
 *
 * @param states {@code [batch, width]} for pooled features, or {@code [batch, positions, width]}
 *     for probes that read every position (right-padded)
 * @param maskBias {@code [batch, positions]}: 0 at real tokens, a large negative number at padding,
 *     added to attention scores; null for pooled features
 * @param lastToken {@code [batch, positions]}: 1 at each row's last real position, 0 elsewhere
 *     (picks the last prompt token's state differentiably); null for pooled features
 */
public record ProbeInput(NDArray states, NDArray maskBias, NDArray lastToken) {
  /** Masked-out positions get this added to their attention score: exp() of it is 0 in float32. */
  public static final float PADDING_BIAS = -1e9f;

  public long batchSize() { return states.getShape().get(0); }
}
