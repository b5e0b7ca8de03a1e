package dev.foresight.worker.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.foresight.worker.features.TaskFeatures;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.scoring.ProbeMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The probe maths on inputs whose right answer is known by construction: each row's pass rate is
 * a fixed function of its features (deterministic trigonometric points, not random numbers), so a
 * head that can represent the function must learn it, and one that cannot must not.
 */
class ProbeTrainingTest {
  private static NDManager manager;

  @BeforeAll
  static void engine() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @Test
  void binaryCrossEntropyAndItsGradient() {
    try (NDManager m = manager.newSubManager()) {
      ProbeTrainer.BinaryCrossEntropy bce = new ProbeTrainer.BinaryCrossEntropy();
      NDArray z = m.create(new float[] {0f, 2f, -30f});
      z.setRequiresGradient(true);
      NDArray y = m.create(new float[] {0.5f, 1f, 0f});
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss = bce.mean(z, y);
        // ln 2, ln(1 + e^-2), ln(1 + e^-30): no overflow at large |z|
        assertEquals((Math.log(2) + Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-30))) / 3, loss.getFloat(), 1e-6);
        gc.backward(loss);
      }
      // d/dz = (sigmoid(z) − y) / n
      double s2 = 1 / (1 + Math.exp(-2));
      float[] grad = z.getGradient().toFloatArray();
      assertEquals(0.0, grad[0], 1e-7);
      assertEquals((s2 - 1) / 3, grad[1], 1e-6);
      assertEquals(1 / (1 + Math.exp(30)) / 3, grad[2], 1e-7);
    }
  }

  /** Points on a deterministic curve in 2-D, spread over [-1, 1]². */
  private static float[] point(int i) {
    return new float[] {(float) Math.cos(i * 2.399), (float) Math.sin(i * 1.713)};
  }

  private static ProbeDataset pooled(int n, ToDoubleFunction<float[]> passRate) {
    ProbeDataset d = new ProbeDataset(2, false);
    for (int i = 0; i < n; i++) {
      float[] x = point(i);
      int passed = (int) Math.round(4 * passRate.applyAsDouble(x));
      TaskFeatures f = new TaskFeatures("t", List.of("p" + i), 2, 1, x, new int[] {1}, new double[1], new long[1]);
      d.add(f, 0, new ProbeDataset.Row("t", "p" + i, 0, passed, 4));
    }
    return d;
  }

  private static double heldOutAuroc(HeadShape shape, ProbeDataset data) {
    ProbeDataset.Split split = data.split(0.3, 1);
    try (NDManager m = manager.newSubManager()) {
      ProbeHead head = ProbeHeads.create(shape, HeadWeights.initialise(m, 7), split.train().normStats());
      ProgressBar quiet = new ProgressBar("train", "epochs", 300, ProgressBar.Mode.OFF, System.err, System::nanoTime);
      ProbeTrainer.Result r = ProbeTrainer.train(head, split.train(), split.heldOut(),
          ProbeTrainer.Options.defaults(shape.family(), 3), m, quiet);
      ProbeMetrics metrics = r.heldOut().get("t");
      assertTrue(r.bestEpoch() >= 1 && r.bestEpoch() <= r.epochs());
      return metrics.auroc();
    }
  }

  private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

  @Test
  void linearProbeLearnsALogisticRule() {
    ProbeDataset d = pooled(300, x -> sigmoid(4 * x[0] - 3 * x[1]));
    assertTrue(heldOutAuroc(HeadShape.linear(2), d) > 0.9);
  }

  @Test
  void mlpLearnsWhatALinearProbeCannot() {
    // Pass when x0 and x1 have the same sign (XOR): no line separates it.
    ProbeDataset d = pooled(400, x -> x[0] * x[1] > 0 ? 0.9 : 0.1);
    double linear = heldOutAuroc(HeadShape.linear(2), d);
    double mlp = heldOutAuroc(HeadShape.mlp(2, 16), d);
    assertTrue(linear < 0.7, "linear " + linear);
    assertTrue(mlp > 0.85, "mlp " + mlp);
  }

  @Test
  void attentionFindsTheInformativePosition() {
    // Rows of 3–7 positions with 3 features: [is-marker, value, noise]. The pass rate depends on
    // the value at the one marked position, which moves from row to row; elsewhere value is noise.
    ProbeDataset d = new ProbeDataset(3, true);
    for (int i = 0; i < 300; i++) {
      int len = 3 + i % 5;
      int marked = (i * 7) % len;
      float[] states = new float[len * 3];
      for (int p = 0; p < len; p++) {
        float[] xy = point(i * 11 + p);
        states[p * 3] = p == marked ? 1 : 0;
        states[p * 3 + 1] = xy[0];
        states[p * 3 + 2] = xy[1];
      }
      double value = states[marked * 3 + 1];
      int passed = (int) Math.round(4 * sigmoid(5 * value));
      d.add(new TaskFeatures("t", List.of("p" + i), 3, len, states, new int[] {len}, new double[1], new long[1]), 0,
          new ProbeDataset.Row("t", "p" + i, 0, passed, 4));
    }
    assertTrue(heldOutAuroc(HeadShape.attention(3, 2, 4), d) > 0.85);
  }

  @Test
  void splitKeepsAPromptsRowsTogetherAndIsSeeded() {
    ProbeDataset d = new ProbeDataset(2, false);
    List<String> ids = new ArrayList<>();
    for (int source = 0; source < 3; source++) {
      for (int i = 0; i < 20; i++) {
        TaskFeatures f = new TaskFeatures("t", List.of("p" + i), 2, 1, point(i), new int[] {1}, new double[1], new long[1]);
        d.add(f, 0, new ProbeDataset.Row("t", "p" + i, source, i % 3, 2));
      }
    }
    ProbeDataset.Split a = d.split(0.25, 5);
    assertEquals(15, a.heldOut().size(), "5 of 20 prompts, each from 3 checkpoints");
    a.heldOut().rows().forEach(r -> ids.add(r.promptId()));
    a.train().rows().forEach(r -> assertTrue(!ids.contains(r.promptId()), r.promptId() + " is on both sides"));
    List<String> again = new ArrayList<>();
    d.split(0.25, 5).heldOut().rows().forEach(r -> again.add(r.promptId()));
    assertEquals(ids, again);
    assertTrue(Arrays.stream(new int[] {1}).allMatch(x -> x == 1));
  }
}
