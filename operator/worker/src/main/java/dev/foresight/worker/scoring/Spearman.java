package dev.foresight.worker.scoring;

import java.util.Arrays;
import java.util.Comparator;
import java.util.OptionalDouble;

/**
 * Spearman's rank correlation: Pearson's correlation of the two series' ranks, tied values sharing
 * the mean of the ranks they span. Being rank-based it compares a probability with a quantity that
 * is not one (bits per byte, a loss) directly; only the direction matters, so a "lower is better"
 * series is negated first to make agreement positive.
 */
public final class Spearman {
  private Spearman() {}

  /**
   * @return empty when fewer than two points, or when either series is constant (its ranks have
   *     no spread, and the correlation is undefined)
   */
  public static OptionalDouble of(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(x.length + " values against " + y.length);
    }
    if (x.length < 2) {
      return OptionalDouble.empty();
    }
    return pearson(ranks(x), ranks(y));
  }

  /** 1-based ranks, ties getting the mean of their positions (1, 2.5, 2.5, 4). */
  static double[] ranks(double[] values) {
    Integer[] order = new Integer[values.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
    double[] ranks = new double[values.length];
    int start = 0;
    while (start < order.length) {
      int end = start;
      while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
        end++;
      }
      double rank = (start + end) / 2.0 + 1;
      for (int k = start; k <= end; k++) {
        ranks[order[k]] = rank;
      }
      start = end + 1;
    }
    return ranks;
  }

  private static OptionalDouble pearson(double[] a, double[] b) {
    double meanA = Arrays.stream(a).average().orElseThrow();
    double meanB = Arrays.stream(b).average().orElseThrow();
    double cov = 0;
    double varA = 0;
    double varB = 0;
    for (int i = 0; i < a.length; i++) {
      cov += (a[i] - meanA) * (b[i] - meanB);
      varA += (a[i] - meanA) * (a[i] - meanA);
      varB += (b[i] - meanB) * (b[i] - meanB);
    }
    if (varA == 0 || varB == 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(cov / Math.sqrt(varA * varB));
  }
}
