package dev.foresight.worker.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfPrecisionTest {

  @Test
  void bf16RoundsToNearestEven() {
    assertEquals((short) 0x3f80, HalfPrecision.floatToBf16(1.0f));
    // Exactly halfway between 0x3f80 and 0x3f81: ties go to the even one (0x3f80).
    assertEquals((short) 0x3f80, HalfPrecision.floatToBf16(Float.intBitsToFloat(0x3f808000)));
    // Halfway between 0x3f81 and 0x3f82: ties go to 0x3f82.
    assertEquals((short) 0x3f82, HalfPrecision.floatToBf16(Float.intBitsToFloat(0x3f818000)));
    // Just above halfway rounds up.
    assertEquals((short) 0x3f81, HalfPrecision.floatToBf16(Float.intBitsToFloat(0x3f808001)));
    assertEquals((short) 0xff80, HalfPrecision.floatToBf16(Float.NEGATIVE_INFINITY));
    assertTrue(Float.isNaN(HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(Float.intBitsToFloat(0x7f800001)))));
    // Overflow past the largest bf16 becomes infinity, as in PyTorch.
    assertEquals(Float.POSITIVE_INFINITY, HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(Float.MAX_VALUE)));
  }

  @Test
  void everyHalfValueSurvivesARoundTripThroughFloat() {
    for (int h = 0; h < 0x10000; h++) {
      float f = HalfPrecision.f16ToFloat((short) h);
      if (Float.isNaN(f)) {
        assertTrue((h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0, "NaN from 0x" + Integer.toHexString(h));
        continue;
      }
      assertEquals((short) h, HalfPrecision.floatToF16(f), "half 0x" + Integer.toHexString(h));
    }
  }

  @Test
  void f16NarrowingAgreesWithPyTorch() {
    SplittableRandom random = new SplittableRandom(7);
    int n = 20_000;
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      // Spread over the whole half range, subnormals and overflow included, plus exact ties.
      float scale = (float) Math.pow(2, random.nextInt(-27, 18));
      values[i] = (float) (random.nextDouble(-1, 1) * scale);
    }
    values[0] = 65520f; // rounds to infinity
    values[1] = 0x1p-25f; // exactly half the smallest subnormal: ties to zero
    values[2] = 1 + 0x1p-11f; // tie between 1 and the next half: stays 1
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray halves = manager.create(values).toType(DataType.FLOAT16, false);
      ByteBuffer bytes = halves.toByteBuffer().order(ByteOrder.nativeOrder());
      for (int i = 0; i < n; i++) {
        assertEquals(bytes.getShort(i * 2), HalfPrecision.floatToF16(values[i]), "value " + values[i]);
      }
    }
  }

  @Test
  void bf16WideningIsExactAndParallelSafe() {
    int n = 200_000; // above the parallel threshold
    ByteBuffer src = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      src.putShort(i * 2, (short) (i * 7919));
    }
    ByteBuffer wide = HalfPrecision.widenBf16(src, n).order(ByteOrder.nativeOrder());
    for (int i = 0; i < n; i++) {
      assertEquals(Float.floatToRawIntBits(HalfPrecision.bf16ToFloat((short) (i * 7919))), wide.getInt(i * 4));
    }
  }
}
