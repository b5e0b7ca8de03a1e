package dev.foresight.worker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoSeedsTest {

  @Test
  void spreadIsTheMeanTheRangeAndTheSampleStandardDeviation() {
    Spread s = Spread.of(List.of(0.8, 0.9, 1.0));
    assertEquals(0.9, s.mean(), 1e-12);
    assertEquals(0.8, s.min(), 1e-12);
    assertEquals(1.0, s.max(), 1e-12);
    // deviations −0.1, 0, 0.1: (0.01 + 0 + 0.01) / (3 − 1) = 0.01
    assertEquals(0.1, s.std(), 1e-12);
    assertEquals(3, s.seeds());
    assertEquals("0.900 (0.800–1.000, ±0.100)", s.render());
  }

  @Test
  void anUndefinedScoreIsLeftOutAndOneSeedHasNoSpread() {
    Spread s = Spread.of(Arrays.asList(null, 0.7, null));
    assertEquals(0.7, s.mean(), 1e-12);
    assertEquals(0.0, s.std(), 1e-12);
    assertEquals(1, s.seeds());
    assertNull(Spread.of(Arrays.asList(null, null)));
    assertEquals("—", Spread.render(null));
  }

  /** A seed's row: the bundle's (linear) scores, then bits per byte's AUROC and Spearman, then the loss's Spearman. */
  private static DemoSeeds.Row row(long seed, double auroc, double error, double spearman, double coverage,
      double bitsAuroc, double bitsSpearman, Double lossSpearman) {
    Map<String, DemoSeeds.Scores> signals = new LinkedHashMap<>();
    DemoSeeds.Scores linear = new DemoSeeds.Scores(auroc, error, spearman, coverage);
    signals.put("linear", linear);
    signals.put(DemoSeeds.BUNDLE, linear);
    signals.put(DemoScores.ANSWER_BITS, new DemoSeeds.Scores(bitsAuroc, null, bitsSpearman, null));
    signals.put(DemoScores.TRAINING_LOSS, new DemoSeeds.Scores(null, null, lossSpearman, null));
    return new DemoSeeds.Row(seed, "linear", signals);
  }

  @Test
  void aggregatesEveryScoreOfEverySignalAcrossSeeds() {
    DemoSeeds d = DemoSeeds.of(List.of(
        row(1, 0.90, 0.02, 0.8, 0.95, 0.95, 0.90, 0.85),
        row(2, 0.98, 0.06, 0.9, 0.85, 0.97, 0.80, null)));

    Map<String, Spread> linear = d.spread().get("linear");
    assertEquals(0.94, linear.get(DemoSeeds.AUROC).mean(), 1e-12);
    assertEquals(0.04, linear.get(DemoSeeds.MEAN_ABS_ERROR).mean(), 1e-12);
    assertEquals(Math.sqrt(2 * 0.02 * 0.02), linear.get(DemoSeeds.MEAN_ABS_ERROR).std(), 1e-12);
    assertEquals(0.8, linear.get(DemoSeeds.SPEARMAN).min(), 1e-12);
    assertEquals(0.90, linear.get(DemoSeeds.COVERAGE).mean(), 1e-12);
    // A baseline has no |Δ| and no coverage; a loss undefined on seed 2 counts seed 1 alone.
    Map<String, Spread> bits = d.spread().get(DemoScores.ANSWER_BITS);
    assertFalse(bits.containsKey(DemoSeeds.MEAN_ABS_ERROR));
    assertEquals(0.96, bits.get(DemoSeeds.AUROC).mean(), 1e-12);
    assertEquals(1, d.spread().get(DemoScores.TRAINING_LOSS).get(DemoSeeds.SPEARMAN).seeds());
  }

  @Test
  void countsTheSeedsWhereTheBundlesProbeMeetsEachGoal() {
    DemoSeeds d = DemoSeeds.of(List.of(
        // beats bits on AUROC, not on Spearman; beats the loss; |Δ| and coverage fine
        row(1, 0.98, 0.03, 0.88, 0.92, 0.97, 0.90, 0.85),
        // loses on AUROC, wins Spearman against both (the loss undefined here); |Δ| too big, coverage too low
        row(2, 0.90, 0.05, 0.95, 0.80, 0.97, 0.90, null)));

    List<List<Long>> met = List.copyOf(d.goals().values());
    assertEquals(List.of(1L), met.get(0));
    assertEquals(List.of(2L), met.get(1));
    assertEquals(List.of(1L, 2L), met.get(2));
    assertEquals(List.of(1L), met.get(3));
    assertEquals(List.of(1L), met.get(4));
    String md = d.markdown();
    assertTrue(md.contains("| 2 | probe of the bundle (linear) | 0.900 | 0.050 | 0.950 | 0.800 |"), md);
    assertTrue(md.contains("| mean abs Δ ≤ 0.04 | 1 of 2 (1) |"), md);
    assertTrue(md.contains("| gold-answer bits per byte | 0.970 (0.970–0.970, ±0.000) | — | 0.900 (0.900–0.900, ±0.000) | — |"), md);
  }

  @Test
  void noSeedIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> DemoSeeds.of(List.of()));
  }
}
