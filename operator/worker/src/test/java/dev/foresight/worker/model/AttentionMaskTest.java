package dev.foresight.worker.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The bias, value by value: 0 where a query sees a key, {@link AttentionMask#HIDDEN} elsewhere. */
class AttentionMaskTest {
  private static final float H = AttentionMask.HIDDEN;

  @Test
  void causalWithAndWithoutAWindow() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray full = AttentionMask.causal(3).bias(m, 0);
      assertEquals(new Shape(1, 1, 3, 3), full.getShape());
      assertArrayEquals(new float[] {0, H, H, 0, 0, H, 0, 0, 0}, full.toFloatArray());
      NDArray window = AttentionMask.causal(4).bias(m, 2);
      assertArrayEquals(new float[] {0, H, H, H, 0, 0, H, H, H, 0, 0, H, H, H, 0, 0}, window.toFloatArray());
    }
  }

  @Test
  void paddedKeysAreHiddenPerRowForQueriesPastTheStart() {
    try (NDManager m = NDManager.newBaseManager()) {
      boolean[][] valid = {{false, true, true, true}, {true, true, true, true}};
      NDArray bias = AttentionMask.padded(2, 2, valid).bias(m, 0);
      assertEquals(new Shape(2, 1, 2, 4), bias.getShape());
      assertArrayEquals(new float[] {H, 0, 0, H, H, 0, 0, 0, 0, 0, 0, H, 0, 0, 0, 0}, bias.toFloatArray());
    }
  }
}
