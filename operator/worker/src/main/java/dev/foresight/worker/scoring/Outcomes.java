package dev.foresight.worker.scoring;

import java.util.Arrays;

/**
 * What generation found for a prompt set: for prompt i, {@code passed[i]} of {@code samples[i]}
 * samples were right. Per-prompt pass rates are the probes' soft labels; each sample is one
 * binary outcome for AUROC, Brier and calibration.
 */
public record Outcomes(int[] passed, int[] samples) {

  public Outcomes {
    if (passed.length != samples.length) {
      throw new IllegalArgumentException("passed has " + passed.length + " prompts, samples " + samples.length);
    }
    for (int i = 0; i < passed.length; i++) {
      if (samples[i] < 1 || passed[i] < 0 || passed[i] > samples[i]) {
        throw new IllegalArgumentException("prompt " + i + ": " + passed[i] + " passed of " + samples[i] + " samples");
      }
    }
    passed = passed.clone();
    samples = samples.clone();
  }

  public int prompts() { return passed.length; }

  public double passRate(int i) { return (double) passed[i] / samples[i]; }

  public double[] passRates() {
    double[] r = new double[prompts()];
    Arrays.setAll(r, this::passRate);
    return r;
  }

  /** Actual pass@1: the mean over prompts of the per-prompt pass rate (each prompt weighs the same). */
  public double passAt1() {
    return Arrays.stream(passRates()).average().orElse(Double.NaN);
  }

  public long totalPassed() { return Arrays.stream(passed).asLongStream().sum(); }

  public long totalSamples() { return Arrays.stream(samples).asLongStream().sum(); }

  @Override
  public boolean equals(Object o) {
    return o instanceof Outcomes other && Arrays.equals(passed, other.passed) && Arrays.equals(samples, other.samples);
  }

  @Override
  public int hashCode() { return 31 * Arrays.hashCode(passed) + Arrays.hashCode(samples); }

  @Override
  public String toString() { return "Outcomes" + Arrays.toString(passed) + "/" + Arrays.toString(samples); }
}
