package dev.foresight.controller.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.api.v1alpha1.ProbeMonitorSpec;
import dev.foresight.api.v1alpha1.ProbeMonitorStatus;
import dev.foresight.api.v1alpha1.TaskResult;
import dev.foresight.controller.support.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a monitor keeps of its finished evaluations. */
class TrendTest {

  static ProbeEvaluation finished(long step, Phase phase, Double predicted, Double actual) {
    ProbeEvaluation e = Fixtures.evaluation("ns", "run-" + step, step);
    ProbeEvaluationStatus status = new ProbeEvaluationStatus();
    status.setPhase(phase);
    if (predicted != null) {
      TaskResult r = new TaskResult("gsm8k", predicted, List.of(predicted - 0.1, predicted + 0.1), 500);
      r.setActualPassAt1(actual);
      status.setResults(List.of(r));
    }
    e.setStatus(status);
    return e;
  }

  @Test
  void theTrendKeepsTheHighestStepsInOrderAndTheCountsAddUp() {
    ProbeMonitorSpec spec = new ProbeMonitorSpec();
    spec.setTrendLength(3);
    ProbeMonitorStatus status = new ProbeMonitorStatus();
    for (long step : new long[] {500, 100, 400, 200, 300}) {
      Trend.record(status, spec, finished(step, step == 200 ? Phase.Failed : Phase.Succeeded, step == 200 ? null : step / 1000.0, null),
          step);
    }
    assertEquals(List.of(300L, 400L, 500L), status.getTrend().stream().map(p -> p.getStep()).toList());
    assertEquals(4, status.getCounts().getSucceeded());
    assertEquals(1, status.getCounts().getFailed());
    assertEquals(0.5, status.getLatestMeanPassAt1(), 1e-12, "the newest step's mean");
    assertEquals(List.of(0.4, 0.6), status.getTrend().get(2).getResults().get(0).getCi95());
    assertNull(status.getTrend().get(2).getResults().get(0).getPrompts(), "only what a chart needs");
  }

  @Test
  void driftIsTheLatestValidatedStepPerTaskWhateverOrderTheyFinish() {
    ProbeMonitorSpec spec = new ProbeMonitorSpec();
    ProbeMonitorStatus status = new ProbeMonitorStatus();
    Trend.record(status, spec, finished(300, Phase.Succeeded, 0.5, 0.4), 300);
    Trend.record(status, spec, finished(100, Phase.Succeeded, 0.2, 0.3), 100); // backfill, older
    Trend.record(status, spec, finished(400, Phase.Succeeded, 0.6, null), 400); // not validated
    assertEquals(1, status.getDrift().size());
    assertEquals(300L, status.getDrift().get(0).getStep());
    assertEquals(0.1, status.getDrift().get(0).getError(), 1e-12);
  }
}
