package dev.foresight.worker.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * Conversions between float32 and the two 16-bit float formats that checkpoints use: IEEE half
 * (F16) and bfloat16 (BF16, the top half of a float32). Narrowing rounds to nearest, ties to even,
 * as PyTorch does, so a file written here reads back in PyTorch as the same numbers.
 */
public final class HalfPrecision {

  /** Below this many elements a tensor is widened on the calling thread: forking costs more. */
  private static final int PARALLEL_THRESHOLD = 1 << 16;
  private static final int CHUNK = 1 << 15;

  private HalfPrecision() {}

  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  public static short floatToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      // Keep it a (quiet) NaN: plain truncation could leave an all-zero mantissa, i.e. infinity.
      return (short) ((bits >>> 16) | 0x0040);
    }
    int lsb = (bits >>> 16) & 1;
    return (short) ((bits + 0x7fff + lsb) >>> 16);
  }

  public static float f16ToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0) {
      float magnitude = mant * 0x1p-24f; // zero or subnormal: mant × 2^-24
      return sign == 0 ? magnitude : -magnitude;
    }
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  public static short floatToF16(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xff;
    int mant = bits & 0x7fffff;
    if (exp == 0xff) {
      return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
    }
    int e = exp - 127 + 15;
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign; // below half the smallest subnormal: rounds to zero
      }
      int full = mant | 0x800000;
      int shift = 14 - e;
      int halfMant = full >>> shift;
      int rem = full & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (rem > halfway || (rem == halfway && (halfMant & 1) != 0)) {
        halfMant++; // may carry into the exponent: the smallest normal, which is right
      }
      return (short) (sign | halfMant);
    }
    int h = sign | (e << 10) | (mant >>> 13);
    int rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (h & 1) != 0)) {
      h++; // a carry rolls into the exponent, up to infinity, as IEEE rounding does
    }
    return (short) h;
  }

  /**
   * Widens {@code count} little-endian BF16 values from {@code src} into a new direct, native-order
   * float32 buffer, in parallel for large tensors (this is the hot path of loading a bf16 model).
   */
  public static ByteBuffer widenBf16(ByteBuffer src, int count) {
    ByteBuffer dst = ByteBuffer.allocateDirect(Math.multiplyExact(count, 4)).order(ByteOrder.nativeOrder());
    ByteBuffer in = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (count < PARALLEL_THRESHOLD) {
      widenRange(in, dst, 0, count);
    } else {
      int chunks = (count + CHUNK - 1) / CHUNK;
      IntStream.range(0, chunks).parallel()
          .forEach(c -> widenRange(in, dst, c * CHUNK, Math.min(count, (c + 1) * CHUNK)));
    }
    return dst;
  }

  /** Widens [from, to) through bulk array copies: per-element buffer calls cost ~5× more. */
  private static void widenRange(ByteBuffer in, ByteBuffer out, int from, int to) {
    int n = to - from;
    short[] halves = new short[n];
    int[] words = new int[n];
    in.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(in.position() + from * 2).slice()
        .order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(halves);
    for (int i = 0; i < n; i++) {
      words[i] = (halves[i] & 0xffff) << 16;
    }
    out.duplicate().order(ByteOrder.nativeOrder()).position(from * 4).slice()
        .order(ByteOrder.nativeOrder()).asIntBuffer().put(words);
  }
}
