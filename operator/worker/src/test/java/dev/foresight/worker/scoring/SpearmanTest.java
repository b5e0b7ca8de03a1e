package dev.foresight.worker.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpearmanTest {

  @Test
  void monotoneSeriesCorrelateFullyWhateverTheirScale() {
    assertEquals(1.0, Spearman.of(new double[] {1, 2, 3, 4}, new double[] {0.1, 0.5, 0.51, 9}).getAsDouble(), 1e-12);
    assertEquals(-1.0, Spearman.of(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}).getAsDouble(), 1e-12);
  }

  @Test
  void matchesTheTextbookFormulaWithoutTies() {
    // ranks of y: 2 1 4 3 5; d² sums to 4; ρ = 1 − 6·4 / (5·(25 − 1)) = 0.8
    assertEquals(0.8, Spearman.of(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5}).getAsDouble(), 1e-12);
  }

  @Test
  void tiesShareTheMeanOfTheirRanks() {
    assertArrayEquals(new double[] {4, 1.5, 1.5, 3}, Spearman.ranks(new double[] {3, 1, 1, 2}));
    // ranks 1 2.5 2.5 4 against 1 2 3 4: Pearson = 4.5 / √(4.5 · 5) = √0.9
    assertEquals(Math.sqrt(0.9), Spearman.of(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4}).getAsDouble(), 1e-12);
  }

  @Test
  void undefinedForAConstantSeriesOrASinglePoint() {
    assertTrue(Spearman.of(new double[] {1, 1, 1}, new double[] {1, 2, 3}).isEmpty());
    assertTrue(Spearman.of(new double[] {1}, new double[] {2}).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> Spearman.of(new double[] {1, 2}, new double[] {1}));
  }
}
