package dev.foresight.worker.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.foresight.worker.features.TaskFeatures;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerInputsTest {

  @Test
  void anAnswerOfProbabilityOneQuarterGivesItsLogProbabilityLogOddsAndBitsPerByte() {
    float[] v = new float[4];
    AnswerInputs.write(2, 4, v, 1); // 2 bits: p = 1/4, over 4 bytes
    assertEquals(0f, v[0]);
    assertEquals(Math.log(0.25), v[1], 1e-6);
    assertEquals(Math.log(0.25 / 0.75), v[2], 1e-6);
    assertEquals(0.5, v[3], 1e-6);
  }

  @Test
  void aCertainAnswerKeepsFiniteLogOdds() {
    float[] v = new float[AnswerInputs.WIDTH];
    AnswerInputs.write(0, 0, v, 0);
    assertTrue(Float.isFinite(v[1]) && v[1] > 9 && v[1] < 10, "log-odds " + v[1]);
    assertEquals(0f, v[2]);
  }

  @Test
  void aDatasetWithAnswerInputsAppendsThemToEachRowsStates() {
    TaskFeatures f = new TaskFeatures("t", List.of("a", "b"), 2, 1, new float[] {1, 2, 3, 4}, new int[] {1, 1},
        new double[] {1, 3}, new long[] {2, 3});
    ProbeDataset d = ProbeDataset.unlabelled(f, false, new SideInputs(AnswerInputs.WIDTH, false), null);
    assertEquals(2 + AnswerInputs.WIDTH, d.width());
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] x = d.input(manager).states().toFloatArray();
      float[] second = new float[AnswerInputs.WIDTH];
      AnswerInputs.write(3, 3, second, 0);
      assertArrayEquals(new float[] {3, 4, second[0], second[1], second[2]}, java.util.Arrays.copyOfRange(x, 5, 10));
      assertEquals(1f, x[0]);
      assertEquals(2f, x[1]);
      assertEquals((float) Math.log(0.5), x[2], 1e-6);
    }
  }

  @Test
  void theSamplersChanceAndTheStepFollowTheLikelihoodsInputs() {
    // Sampler: 1 bit, q = 1/2 (log-odds 0) and 3 bits, q = 1/8; steps 400.
    TaskFeatures f = new TaskFeatures("t", List.of("a", "b"), 2, 1, new float[] {1, 2, 3, 4}, new int[] {1, 1},
        new double[] {1, 3}, new long[] {2, 3}, new double[] {1, 3});
    ProbeDataset d = ProbeDataset.unlabelled(f, false, new SideInputs(AnswerInputs.WITH_SAMPLER, true), 400L);
    assertEquals(2 + 5 + 1, d.width());
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] x = d.input(manager).states().toFloatArray();
      assertEquals(Math.log(0.5), x[5], 1e-6);
      assertEquals(0, x[6], 1e-5);
      assertEquals(Math.log(400), x[7], 1e-5);
      assertEquals(Math.log(0.125), x[8 + 5], 1e-6);
      assertEquals(Math.log(0.125 / 0.875), x[8 + 6], 1e-5);
      assertEquals(Math.log(400), x[8 + 7], 1e-5);
    }
  }

  @Test
  void aProbeThatReadsWhatTheFeaturesLackSaysWhat() {
    TaskFeatures plain = new TaskFeatures("t", List.of("a"), 2, 1, new float[] {1, 2}, new int[] {1},
        new double[] {1}, new long[] {2});
    IllegalArgumentException noSampler = assertThrows(IllegalArgumentException.class,
        () -> ProbeDataset.unlabelled(plain, false, new SideInputs(AnswerInputs.WITH_SAMPLER, false), 400L));
    assertTrue(noSampler.getMessage().contains("extract them with the labels' temperature"), noSampler.getMessage());
    IllegalArgumentException noStep = assertThrows(IllegalArgumentException.class,
        () -> ProbeDataset.unlabelled(plain, false, new SideInputs(AnswerInputs.WIDTH, true), null));
    assertTrue(noStep.getMessage().contains("training step"), noStep.getMessage());
  }

  @Test
  void aFeatureConstantOverTrainingIsReadAsZeroWhereverItMoves() {
    // Column 0 varies; column 1 (one labelled step, say) never does.
    FeatureStats stats = FeatureStats.of(new float[] {1, 7, 3, 7, 5, 7}, 3, 2);
    assertTrue(stats.invStd()[0] > 0);
    assertEquals(0f, stats.invStd()[1]);
    assertEquals(7f, stats.mean()[1]);
  }

  @Test
  void onlyOneVectorProbesReadSideInputs() {
    SideInputs all = new SideInputs(AnswerInputs.WITH_SAMPLER, true);
    assertThrows(IllegalArgumentException.class, () -> new ProbeDataset(4, true, all));
    assertThrows(IllegalArgumentException.class, () -> HeadShape.attention(4, 2, 2).withSideInputs(all));
    assertThrows(IllegalArgumentException.class, () -> new SideInputs(4, false));
    HeadShape linear = HeadShape.linear(4).withSideInputs(all);
    assertEquals(4 + 6, linear.width());
    assertEquals(all, linear.sideInputs());
    assertEquals(4 + AnswerInputs.WIDTH, HeadShape.linear(4).withSideInputs(new SideInputs(3, false)).width());
    assertEquals(4, HeadShape.mlp(4, 8).width());
    assertEquals(SideInputs.NONE, HeadShape.mlp(4, 8).sideInputs());
  }
}
