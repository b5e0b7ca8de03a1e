package dev.foresight.worker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoScoresTest {

  /** A later checkpoint with one task: actual pass@1, the probe's prediction and AUROC, bits per byte, loss. */
  private static CheckpointPoint point(int step, double actual, double predicted, Double auroc, double bits, double loss) {
    Map<String, CheckpointPoint.TaskPoint> tasks = new LinkedHashMap<>();
    tasks.put("add", new CheckpointPoint.TaskPoint(actual, bits, 0.7,
        Map.of("linear", new CheckpointPoint.Prediction(predicted, predicted - 0.1, predicted + 0.1, auroc,
            Math.abs(predicted - actual)))));
    return new CheckpointPoint(step, false, loss, 0.01, 2.0, Map.of("linear", 0.1), tasks);
  }

  @Test
  void scoresTheProbeAndTheBaselinesAgainstActualPassAt1() {
    List<CheckpointPoint> later = List.of(
        point(100, 0.2, 0.25, 0.8, 0.9, 1.0),
        point(200, 0.4, 0.30, null, 0.5, 0.8), // every sample alike: no AUROC, left out of the mean
        point(300, 0.6, 0.70, 0.9, 0.7, 0.6)); // bits per byte got worse here

    DemoScores s = DemoScores.of(later, List.of("add"), List.of("linear"), "linear");

    DemoScores.ProbeScore probe = s.probes().get("linear");
    assertEquals(0.85, probe.auroc(), 1e-12);
    assertEquals((0.05 + 0.10 + 0.10) / 3, probe.meanAbsError(), 1e-12);
    assertEquals(1.0, probe.spearman(), 1e-12);
    // Intervals are prediction ± 0.1: [0.15, 0.35] holds 0.2, [0.2, 0.4] holds 0.4 (bounds count), [0.6, 0.8] holds 0.6.
    assertEquals(1.0, probe.coverage(), 1e-12);
    assertEquals(0.2, probe.meanWidth(), 1e-12);
    // Lower is better for both baselines: a falling loss against a rising pass@1 is a perfect 1.
    assertEquals(1.0, s.baselines().get(DemoScores.TRAINING_LOSS).spearman(), 1e-12);
    assertNull(s.baselines().get(DemoScores.TRAINING_LOSS).auroc());
    // −bits: −0.9, −0.5, −0.7 rank 1 3 2 against 1 2 3: ρ = 1 − 6·2 / (3·8) = 0.5
    assertEquals(0.5, s.baselines().get(DemoScores.ANSWER_BITS).spearman(), 1e-12);
    assertEquals(0.7, s.baselines().get(DemoScores.ANSWER_BITS).auroc(), 1e-12);
    assertEquals(20.0, s.timing().ratio(), 1e-12);
  }

  @Test
  void coverageCountsThePairsWhoseActualPassAt1LiesInTheInterval() {
    List<CheckpointPoint> later = List.of(
        point(100, 0.2, 0.25, 0.8, 0.9, 1.0), // [0.15, 0.35] ∋ 0.2
        point(200, 0.5, 0.30, 0.8, 0.5, 0.8), // [0.20, 0.40] ∌ 0.5
        point(300, 0.6, 0.90, 0.9, 0.7, 0.6), // [0.80, 1.00] ∌ 0.6
        point(400, 0.9, 0.95, 0.9, 0.7, 0.6)); // [0.85, 1.05] ∋ 0.9

    assertEquals(0.5, DemoScores.of(later, List.of("add"), List.of("linear"), "linear").probes().get("linear").coverage(),
        1e-12);
  }
}
