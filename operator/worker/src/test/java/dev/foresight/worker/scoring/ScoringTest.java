package dev.foresight.worker.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every expected value below was worked out by hand; the derivation is in the comments. */
class ScoringTest {
  private static final double EPS = 1e-12;

  // Prompt: prediction, passed/samples →  0: 0.9, 2/2   1: 0.6, 1/2   2: 0.6, 0/1   3: 0.2, 1/2
  private static final double[] PREDICTED = {0.9, 0.6, 0.6, 0.2};
  private static final Outcomes OUTCOMES = new Outcomes(new int[] {2, 1, 0, 1}, new int[] {2, 2, 1, 2});

  @Test
  void aurocCountsTiesAsHalf() {
    // 4 positives (0.9, 0.9, 0.6, 0.2) × 3 negatives (0.6, 0.6, 0.2) = 12 pairs.
    // Each 0.9 beats all 3 negatives: 6. The 0.6 ties two 0.6 negatives (2 × 0.5) and beats 0.2: 2.
    // The 0.2 loses to both 0.6 and ties 0.2: 0.5. AUROC = 8.5 / 12.
    assertEquals(8.5 / 12, Auroc.of(PREDICTED, OUTCOMES).getAsDouble(), EPS);
  }

  @Test
  void aurocOfPerfectAndReversedAndConstantPredictions() {
    Outcomes o = new Outcomes(new int[] {0, 0, 1, 1}, new int[] {1, 1, 1, 1});
    assertEquals(1.0, Auroc.of(new double[] {0.1, 0.2, 0.3, 0.4}, o).getAsDouble(), EPS);
    assertEquals(0.0, Auroc.of(new double[] {0.4, 0.3, 0.2, 0.1}, o).getAsDouble(), EPS);
    assertEquals(0.5, Auroc.of(new double[] {0.5, 0.5, 0.5, 0.5}, o).getAsDouble(), EPS);
  }

  @Test
  void aurocIsAbsentWhenEverySamplePassesOrEveryFails() {
    assertTrue(Auroc.of(new double[] {0.2, 0.9}, new Outcomes(new int[] {3, 3}, new int[] {3, 3})).isEmpty());
    assertTrue(Auroc.of(new double[] {0.2, 0.9}, new Outcomes(new int[] {0, 0}, new int[] {3, 3})).isEmpty());
  }

  @Test
  void mseIsAgainstPassRates() {
    // pass rates 1, .5, 0, .5 → squared errors .01, .01, .36, .09 → .47 / 4
    assertEquals(0.1175, Calibration.mse(PREDICTED, OUTCOMES), EPS);
  }

  @Test
  void brierIsPerSample() {
    // 2×0.1² + (0.4² + 0.6²) + 0.6² + (0.8² + 0.2²) = 0.02 + 0.52 + 0.36 + 0.68 = 1.58 over 7 samples
    assertEquals(1.58 / 7, Calibration.brier(PREDICTED, OUTCOMES), EPS);
  }

  @Test
  void expectedCalibrationErrorWeighsBinsBySamples() {
    // bin 9: 2 samples, conf .9, acc 1 → .1;  bin 6: 3 samples, conf .6, acc 1/3 → 4/15;
    // bin 2: 2 samples, conf .2, acc .5 → .3.  ECE = (2×.1 + 3×4/15 + 2×.3) / 7 = 1.6 / 7
    assertEquals(1.6 / 7, Calibration.expectedCalibrationError(PREDICTED, OUTCOMES), EPS);
    // A prediction of exactly 1.0 falls in the last bin, and a perfect one costs nothing.
    Outcomes allPass = new Outcomes(new int[] {4}, new int[] {4});
    assertEquals(0.0, Calibration.expectedCalibrationError(new double[] {1.0}, allPass), EPS);
  }

  @Test
  void metricsTogetherAndTheirJson() throws Exception {
    ProbeMetrics m = ProbeMetrics.of(PREDICTED, OUTCOMES);
    assertEquals(4, m.prompts());
    assertEquals(7, m.samples());
    assertEquals(0.575, m.predictedPassAt1(), EPS);
    assertEquals(0.5, m.actualPassAt1(), EPS);
    assertEquals(0.075, m.passAt1Error(), EPS);

    // All passed: AUROC absent from the JSON (not NaN, not null), everything else defined.
    ProbeMetrics all = ProbeMetrics.of(new double[] {0.5, 0.7}, new Outcomes(new int[] {2, 2}, new int[] {2, 2}));
    assertNull(all.auroc());
    assertEquals(1.0, all.actualPassAt1(), EPS);
    assertEquals((0.25 + 0.09) / 2, all.mse(), EPS);
    String json = new ObjectMapper().writeValueAsString(all);
    assertFalse(json.contains("auroc"), json);
    assertFalse(json.contains("NaN"), json);
  }

  @Test
  void bootstrapIntervalIsSeededAndAboutTwoStandardErrorsWide() {
    double[] p = new double[100];
    for (int i = 0; i < p.length; i++) {
      p[i] = i % 2;
    }
    PassAt1Interval a = PassAt1Interval.of(p, 7);
    assertEquals(a, PassAt1Interval.of(p, 7));
    assertEquals(0.5, a.passAt1(), EPS);
    // Standard error of a mean of 100 fair coin flips: 0.05, so the interval is about 0.5 ± 0.098.
    assertEquals(0.402, a.low(), 0.02);
    assertEquals(0.598, a.high(), 0.02);
    PassAt1Interval constant = PassAt1Interval.of(new double[] {0.3, 0.3, 0.3});
    assertEquals(0.3, constant.low(), EPS);
    assertEquals(0.3, constant.high(), EPS);
    assertThrows(IllegalArgumentException.class, () -> PassAt1Interval.of(new double[0]));
  }

  @Test
  void percentileInterpolatesBetweenRanks() {
    double[] sorted = {1, 2, 3, 4, 5};
    assertEquals(2.0, PassAt1Interval.percentile(sorted, 0.25), EPS);
    assertEquals(1.4, PassAt1Interval.percentile(sorted, 0.1), EPS);
    assertEquals(5.0, PassAt1Interval.percentile(sorted, 1.0), EPS);
  }

  @Test
  void outcomesRejectImpossibleCounts() {
    assertThrows(IllegalArgumentException.class, () -> new Outcomes(new int[] {3}, new int[] {2}));
    assertThrows(IllegalArgumentException.class, () -> new Outcomes(new int[] {0}, new int[] {0}));
    assertThrows(IllegalArgumentException.class, () -> Auroc.of(new double[] {0.1}, OUTCOMES));
    assertEquals(0.5, OUTCOMES.passAt1(), EPS);
    assertTrue(Arrays.equals(new double[] {1, 0.5, 0, 0.5}, OUTCOMES.passRates()));
  }
}
