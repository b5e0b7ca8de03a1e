package dev.foresight.worker.demo;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One score over several worlds (seeds): its mean, its range and its standard deviation. A score
 * undefined on a seed (null: a constant series, every sample alike) is left out, and {@code seeds}
 * says over how many it was taken.
 *
 * @param std the sample standard deviation (n − 1 in the denominator), 0 for a single seed
 */
@JsonPropertyOrder({"mean", "min", "max", "std", "seeds"})
public record Spread(double mean, double min, double max, double std, int seeds) {

  /** The spread of {@code values}, nulls left out; null when none is defined. */
  public static Spread of(List<Double> values) {
    double[] v = values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
    if (v.length == 0) {
      return null;
    }
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    double mean = sum / v.length;
    double squares = 0;
    for (double x : v) {
      squares += (x - mean) * (x - mean);
    }
    double std = v.length < 2 ? 0 : Math.sqrt(squares / (v.length - 1));
    return new Spread(mean, min, max, std, v.length);
  }

  /** {@code 0.912 (0.871–0.950, ±0.031)}: mean, range, standard deviation. */
  public String render() {
    return String.format(Locale.ROOT, "%.3f (%.3f–%.3f, ±%.3f)", mean, min, max, std);
  }

  /** {@link #render()}, or an em dash for a score no seed defines. */
  public static String render(Spread s) {
    return s == null ? "—" : s.render();
  }
}
