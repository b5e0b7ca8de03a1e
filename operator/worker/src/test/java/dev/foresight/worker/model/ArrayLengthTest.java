package dev.foresight.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ArrayLengthTest {

  @Test
  void productsThatFitAreTheirValue() {
    assertEquals(6, ArrayLength.of("x", 2, 3));
    assertEquals(0, ArrayLength.of("x", 1L << 40, 0, 1L << 40));
    assertEquals(ArrayLength.MAX, ArrayLength.of("x", ArrayLength.MAX, 1));
  }

  @Test
  void productsPastOneArrayAreAnErrorNamingTheArrayAndSizes() {
    // 46341² is past 2^31: as an int product it wraps to a negative length.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ArrayLength.of("mask [tokens × tokens]", 46341, 46341));
    assertEquals("mask [tokens × tokens]: 46341 × 46341 values, more than one Java array holds (2147483639)",
        e.getMessage());
    // Past the long range too: no wrap-around back into range (2^32 × 2^32 × 2 wraps to 0 as a long).
    assertThrows(IllegalArgumentException.class, () -> ArrayLength.of("x", 1L << 32, 1L << 32, 2));
    assertThrows(IllegalArgumentException.class, () -> ArrayLength.of("x", 3, -1));
  }
}
