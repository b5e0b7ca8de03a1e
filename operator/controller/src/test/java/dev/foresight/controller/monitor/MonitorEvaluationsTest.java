package dev.foresight.controller.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.PeriodicValidation;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.controller.job.WorkerLabels;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.Monitors;
import org.junit.jupiter.api.Test;

/** The evaluation a monitor makes of one checkpoint. */
class MonitorEvaluationsTest {

  @Test
  void oneEvaluationPerStepNamedLabelledOwnedAndBuiltFromTheMonitor() {
    ProbeMonitor monitor = Monitors.monitor("ns", "olmo");
    monitor.getMetadata().setUid("uid-7");
    ProbeEvaluation e = MonitorEvaluations.build(monitor, 1200, "checkpoint-1200", 0);
    assertEquals("olmo-1200", e.getMetadata().getName());
    assertEquals("ns", e.getMetadata().getNamespace());
    assertEquals("olmo", e.getMetadata().getLabels().get(WorkerLabels.MONITOR));
    assertEquals("uid-7", e.getMetadata().getOwnerReferences().get(0).getUid());
    assertTrue(e.getMetadata().getOwnerReferences().get(0).getController());
    assertEquals(Monitors.PREFIX + "/checkpoint-1200", e.getSpec().getCheckpoint().getUri());
    assertEquals(Fixtures.RUN, e.getSpec().getCheckpoint().getRun());
    assertEquals(1200L, e.getSpec().getCheckpoint().getStep());
    assertEquals(monitor.getSpec().getProbe(), e.getSpec().getProbe());
    assertEquals(monitor.getSpec().getTasks(), e.getSpec().getTasks());
    assertNull(e.getSpec().getValidation(), "no spec.validation on the monitor");
  }

  @Test
  void everyKthEvaluationTheMonitorMakesIsValidated() {
    ProbeMonitor monitor = Monitors.monitor("ns", "olmo");
    PeriodicValidation validation = new PeriodicValidation();
    validation.setEvery(3);
    validation.setSamples(8);
    monitor.getSpec().setValidation(validation);
    for (int made = 0; made < 7; made++) {
      ProbeEvaluation e = MonitorEvaluations.build(monitor, 100L * made, "step-" + made, made);
      if (made % 3 == 0) {
        assertNotNull(e.getSpec().getValidation(), "evaluation " + made);
        assertEquals(8, e.getSpec().getValidation().getSamples());
      } else {
        assertNull(e.getSpec().getValidation(), "evaluation " + made);
      }
      assertNull(e.getSpec().getOutput(), "no spec.validation.output: outputs are not kept");
    }
  }

  @Test
  void withValidationOutputTheValidatedEvaluationsKeepTheirOutputByStepAndTheOthersNone() {
    ProbeMonitor monitor = Monitors.validating("ns", "olmo", 2, "s3://evals/olmo/validation/");
    for (int made = 0; made < 4; made++) {
      ProbeEvaluation e = MonitorEvaluations.build(monitor, 500L * made, "step-" + made, made);
      if (made % 2 == 0) {
        assertEquals("s3://evals/olmo/validation/step-" + 500L * made + ".json", e.getSpec().getOutput());
      } else {
        assertNull(e.getSpec().getOutput(), "evaluation " + made + " is not validated");
      }
    }
  }
}
