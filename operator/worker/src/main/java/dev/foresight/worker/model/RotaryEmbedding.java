package dev.foresight.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.foresight.worker.checkpoint.RopeParameters;

/**
 * Rotary position embeddings: rotates each (i, i + d/2) pair of a head's dimensions by
 * {@code position · invFreq[i]} (the "rotate_half" layout of transformers, not interleaved pairs).
 */
final class RotaryEmbedding {

  private final NDArray invFreq;
  private final NDArray attentionScaling;
  private final boolean scaled;
  private final int half;

  RotaryEmbedding(RopeParameters rope, int headDim, NDManager manager) {
    float[] inv = rope.inverseFrequencies(headDim);
    this.half = headDim / 2;
    this.invFreq = manager.create(inv);
    double scaling = rope.attentionScaling();
    this.scaled = scaling != 1;
    this.attentionScaling = manager.create((float) scaling);
  }

  /** cos and sin for positions [B, T], shaped [B, 1, T, headDim] to broadcast over heads. */
  Rotation at(NDArray positions, DataType dtype) {
    NDArray freqs = positions.toType(DataType.FLOAT32, false).expandDims(-1).mul(invFreq);
    NDArray angles = NDArrays.concat(new NDList(freqs, freqs), 2);
    NDArray cos = angles.cos();
    NDArray sin = angles.sin();
    if (scaled) {
      cos = cos.mul(attentionScaling);
      sin = sin.mul(attentionScaling);
    }
    cos = cos.expandDims(1);
    sin = sin.expandDims(1);
    if (dtype != DataType.FLOAT32) {
      cos = cos.toType(dtype, false);
      sin = sin.toType(dtype, false);
    }
    return new Rotation(cos, sin, half);
  }

  /** The rotation for one batch of positions. */
  record Rotation(NDArray cos, NDArray sin, int half) {

    /** Rotates x [B, heads, T, headDim]. */
    NDArray apply(NDArray x) {
      NDArray x1 = x.get(new NDIndex("..., :{}", half));
      NDArray x2 = x.get(new NDIndex("..., {}:", half));
      NDArray rotated = NDArrays.concat(new NDList(x2.neg(), x1), 3);
      return x.mul(cos).add(rotated.mul(sin));
    }
  }
}
