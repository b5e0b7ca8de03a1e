package dev.foresight.worker.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The generative interval on a synthetic probe whose error is known: per (checkpoint, task) a
 * shared error of standard deviation {@value #BIAS} and a per-prompt one of {@value #SCATTER} on
 * top of the true pass rates, and labels drawn as 4 samples per prompt from those true rates.
 */
class PassAt1IntervalTest {
  private static final double BIAS = 0.04;
  private static final double SCATTER = 0.10;
  private static final int SAMPLES = 4;

  /** One (checkpoint, task): the probe's predictions and the generation's outcomes on the same prompts. */
  private record Case(double[] predicted, Outcomes outcomes) {}

  private static Case draw(Random random, int prompts) {
    double shared = BIAS * random.nextGaussian();
    double[] predicted = new double[prompts];
    int[] passed = new int[prompts];
    int[] samples = new int[prompts];
    for (int i = 0; i < prompts; i++) {
      // True rates in [0.25, 0.75] keep the predictions inside [0, 1] (clipping would change the known error).
      double truth = 0.25 + 0.5 * random.nextDouble();
      predicted[i] = Math.min(1, Math.max(0, truth + shared + SCATTER * random.nextGaussian()));
      samples[i] = SAMPLES;
      for (int s = 0; s < SAMPLES; s++) {
        passed[i] += random.nextDouble() < truth ? 1 : 0;
      }
    }
    return new Case(predicted, new Outcomes(passed, samples));
  }

  /**
   * What a bundle trained on 8 checkpoints × 3 tasks, 32 held-out prompts each, would measure
   * (no newest-checkpoint pairs: nothing drifts here, and the larger-of-two rule is meant for drift).
   */
  private static CheckpointError measured(Random random) {
    return CheckpointError.estimate(pairs(random, 24, 32), List.of());
  }

  /** {@code count} (checkpoint, task) pairs of {@code prompts} prompts each. */
  private static List<CheckpointError.Pair> pairs(Random random, int count, int prompts) {
    List<CheckpointError.Pair> pairs = new ArrayList<>();
    for (int pair = 0; pair < count; pair++) {
      Case c = draw(random, prompts);
      pairs.add(new CheckpointError.Pair(c.predicted(), c.outcomes()));
    }
    return pairs;
  }

  @Test
  void theMeasuredErrorFindsTheKnownOneWithTheSamplingNoiseTakenOut() {
    CheckpointError e = CheckpointError.estimate(pairs(new Random(11), 400, 32), List.of());
    // Raw residuals spread by √(0.1² + 0.5·0.5/4) ≈ 0.27 per prompt: the estimate must not keep the sampling part.
    assertEquals(SCATTER, e.scatter(), 0.015);
    assertEquals(BIAS, e.bias(), 0.008);
    assertEquals(e.heldOutPromptsBias(), e.bias());
    assertNull(e.newestCheckpointBias());
    assertEquals(SAMPLES, e.samplesPerPrompt());
    assertEquals(400 * 32, e.heldOutPrompts());
    assertNull(e.newestCheckpointPrompts());
  }

  @Test
  void coversTheGenerativePassAt1AboutNinetyFivePercentWhereTheBootstrapFallsShort() {
    Random random = new Random(7);
    CheckpointError error = measured(random);
    int cases = 600;
    int generative = 0;
    int bootstrap = 0;
    for (int k = 0; k < cases; k++) {
      Case c = draw(random, 128);
      double actual = c.outcomes().passAt1();
      PassAt1Interval g = PassAt1Interval.of(c.predicted(), error);
      PassAt1Interval b = PassAt1Interval.of(c.predicted());
      generative += g.low() <= actual && actual <= g.high() ? 1 : 0;
      bootstrap += b.low() <= actual && actual <= b.high() ? 1 : 0;
    }
    double coverage = (double) generative / cases;
    assertTrue(coverage >= 0.91 && coverage <= 0.985, "generative interval covers " + coverage);
    // The bootstrap sees only the spread of the predictions over prompts (≈ 0.016 here), not the 0.04 shared error.
    assertTrue((double) bootstrap / cases < 0.7, "bootstrap covers " + (double) bootstrap / cases);
  }

  @Test
  void widensWithTheProbesErrorAndNarrowsWithMoreSamplesOrPrompts() {
    double[] p = {0.2, 0.5, 0.9, 0.7, 0.4, 0.6};
    CheckpointError base = new CheckpointError(0.03, 768, null, null, 0.1, 4);
    double width = width(PassAt1Interval.of(p, base));
    assertTrue(width(PassAt1Interval.of(p, new CheckpointError(0.05, 768, null, null, 0.1, 4))) > width);
    assertTrue(width(PassAt1Interval.of(p, new CheckpointError(0.03, 768, null, null, 0.2, 4))) > width);
    assertTrue(width(PassAt1Interval.of(p, new CheckpointError(0.03, 768, null, null, 0.1, 16))) < width);
    double[] twice = new double[p.length * 2];
    for (int i = 0; i < twice.length; i++) {
      twice[i] = p[i % p.length];
    }
    assertTrue(width(PassAt1Interval.of(twice, base)) < width);
    // Confident predictions leave less sampling noise: the same mean, narrower.
    double[] flat = {0.5, 0.5, 0.5, 0.5};
    double[] sure = {0, 1, 0, 1};
    assertTrue(PassAt1Interval.of(sure, base).samplingError() < PassAt1Interval.of(flat, base).samplingError());
    assertEquals(0.0, PassAt1Interval.of(sure, base).samplingError(), 1e-12);
  }

  @Test
  void partsAddInQuadratureAndTheIntervalStaysInsideZeroToOne() {
    double[] p = {0.9, 1.0, 0.95, 0.99};
    CheckpointError error = new CheckpointError(0.05, 768, 0.02, 384, 0.2, 4);
    assertEquals(0.05, error.bias(), 1e-12, "the larger of the two measurements");
    PassAt1Interval i = PassAt1Interval.of(p, error);
    assertEquals(PassAt1Interval.GENERATIVE, i.basis());
    assertEquals(Math.sqrt(error.bias() * error.bias() + 0.2 * 0.2 / 4), i.probeError(), 1e-12);
    double binomial = 0.9 * 0.1 + 0 + 0.95 * 0.05 + 0.99 * 0.01;
    assertEquals(Math.sqrt(binomial / 4) / 4, i.samplingError(), 1e-12);
    double half = 1.959963984540054 * Math.hypot(i.probeError(), i.samplingError());
    assertEquals(0.96 - half, i.low(), 1e-12);
    assertEquals(1.0, i.high(), 1e-12);
  }

  @Test
  void isDeterministic() {
    double[] p = {0.1, 0.35, 0.8};
    CheckpointError error = new CheckpointError(0.02, 96, null, null, 0.1, 4);
    assertEquals(PassAt1Interval.of(p, error), PassAt1Interval.of(p, error));
    assertEquals(measured(new Random(3)), measured(new Random(3)));
  }

  @Test
  void withoutTheMeasuredErrorItFallsBackToThePromptBootstrapAndSaysSo() {
    double[] p = {0.1, 0.35, 0.8, 0.6};
    PassAt1Interval fallback = PassAt1Interval.of(p, (CheckpointError) null);
    assertEquals(PassAt1Interval.of(p), fallback);
    assertEquals(PassAt1Interval.PROMPT_BOOTSTRAP, fallback.basis());
    assertNull(fallback.probeError());
    assertNull(fallback.samplingError());
  }

  @Test
  void aDriftedNewestCheckpointWidensTheBiasAndBadInputsAreRefused() {
    Random random = new Random(5);
    List<CheckpointError.Pair> heldOut = pairs(random, 24, 32);
    // The newest checkpoint drifted: every prediction 0.15 too high.
    List<CheckpointError.Pair> newest = new ArrayList<>();
    for (CheckpointError.Pair p : pairs(random, 3, 128)) {
      double[] shifted = p.predicted().clone();
      for (int i = 0; i < shifted.length; i++) {
        shifted[i] = Math.min(1, shifted[i] + 0.15);
      }
      newest.add(new CheckpointError.Pair(shifted, p.outcomes()));
    }
    CheckpointError e = CheckpointError.estimate(heldOut, newest);
    assertTrue(e.newestCheckpointBias() > 0.13 && e.heldOutPromptsBias() < 0.06, e.toString());
    // The raw miss keeps the sampling noise the bias estimate takes out: never below it, and the bias.
    assertTrue(e.newestCheckpointMiss() >= e.newestCheckpointBias(), e.toString());
    assertEquals(e.newestCheckpointMiss(), e.bias());
    assertEquals(24 * 32, e.heldOutPrompts());
    assertEquals(3 * 128, e.newestCheckpointPrompts());
    assertThrows(IllegalArgumentException.class, () -> CheckpointError.estimate(List.of(), newest));
    assertThrows(IllegalArgumentException.class,
        () -> new CheckpointError.Pair(new double[] {0.5}, new Outcomes(new int[] {1}, new int[] {4})));
    assertThrows(IllegalArgumentException.class, () -> new CheckpointError(-0.1, 10, null, null, 0.1, 4));
    assertThrows(IllegalArgumentException.class, () -> new CheckpointError(0.1, 10, 0.1, null, 0.1, 4));
  }

  @Test
  void aRehearsalThatNearlyHitLeavesItsRawMissAndTheBiasGrowsWithTheStepsAhead() {
    // Noise-subtracted bias 0, raw miss 0.02, rehearsed from step 1400 onto 1600.
    CheckpointError e = new CheckpointError(0.0, 768, 0.0, 384, 0.1, 4, 0.02, 1600L, 1400L);
    assertEquals(0.02, e.bias());
    assertEquals(1, e.growth(null));
    assertEquals(1, e.growth(1200L));
    assertEquals(1, e.growth(1600L));
    assertEquals(1, e.growth(1700L), "less than one rehearsal ahead: the rehearsal's own error");
    assertEquals(Math.sqrt(Math.log(2) / Math.log(16.0 / 14)), e.growth(3200L), 1e-12);
    double[] p = {0.2, 0.4, 0.6, 0.8};
    assertEquals(PassAt1Interval.of(p, e), PassAt1Interval.of(p, e, 1600L));
    PassAt1Interval near = PassAt1Interval.of(p, e, 1800L);
    PassAt1Interval far = PassAt1Interval.of(p, e, 3200L);
    assertTrue(far.probeError() > near.probeError() && width(far) > width(near), near + " then " + far);
    assertEquals(0.02 * e.growth(3200L), Math.sqrt(far.probeError() * far.probeError() - 0.01 / 4), 1e-9);
    // Steps come in pairs, in training order; a miss needs the rehearsal it came from.
    assertThrows(IllegalArgumentException.class, () -> new CheckpointError(0.0, 768, 0.0, 384, 0.1, 4, 0.02, 1400L, 1600L));
    assertThrows(IllegalArgumentException.class, () -> new CheckpointError(0.0, 768, 0.0, 384, 0.1, 4, 0.02, 1600L, null));
    assertThrows(IllegalArgumentException.class, () -> new CheckpointError(0.0, 768, null, null, 0.1, 4, 0.02, null, null));
  }

  private static double width(PassAt1Interval i) {
    return i.high() - i.low();
  }
}
