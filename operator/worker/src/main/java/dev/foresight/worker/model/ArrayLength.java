package dev.foresight.worker.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The length of a Java array that holds a tensor's values, checked: the sizes multiply as longs,
 * and a product past what one array holds is an error saying which array and how large, instead
 * of a negative length or an index that wrapped around into someone else's row.
 */
public final class ArrayLength {

  /** The most elements a Java array can have on common JVMs. */
  public static final int MAX = Integer.MAX_VALUE - 8;

  private ArrayLength() {}

  /**
   * The product of {@code sizes}.
   *
   * @param what the array, and what would make it smaller, for the error
   * @throws IllegalArgumentException when the product passes {@link #MAX}
   */
  public static int of(String what, long... sizes) {
    long n = 1;
    for (long size : sizes) {
      if (size < 0) {
        throw new IllegalArgumentException(what + ": negative size in " + Arrays.toString(sizes));
      }
      n = size != 0 && n > MAX / size ? Long.MAX_VALUE : n * size;
    }
    if (n > MAX) {
      throw new IllegalArgumentException(what + ": " + Arrays.stream(sizes).mapToObj(Long::toString)
          .collect(Collectors.joining(" × ")) + " values, more than one Java array holds (" + MAX + ")");
    }
    return (int) n;
  }
}
