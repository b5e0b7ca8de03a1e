package dev.foresight.controller.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeSource;
import dev.foresight.controller.support.Monitors;
import dev.foresight.controller.support.TestOperators;
import dev.foresight.controller.validate.SpecValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each problem names the monitor's own field, as the user wrote it. */
class MonitorValidatorTest {
  static final MonitorValidator VALIDATOR = new MonitorValidator(new SpecValidator(TestOperators.config()));

  static String only(ProbeMonitor m) {
    List<String> problems = VALIDATOR.validate(m);
    assertEquals(1, problems.size(), problems::toString);
    return problems.get(0);
  }

  @Test
  void aValidMonitorPasses() {
    assertEquals(List.of(), VALIDATOR.validate(Monitors.monitor("ns", "run")));
  }

  @Test
  void aTrainingStandsForTheProbeUri() {
    ProbeMonitor m = Monitors.monitor("ns", "run");
    m.getSpec().setProbe(ProbeSource.training("olmo3-7b-probes"));
    assertEquals(List.of(), VALIDATOR.validate(m));
    m.getSpec().getProbe().setUri("pvc://probes/v3");
    assertEquals("spec.probe: set exactly one of uri and trainingRef", only(m));
  }

  @Test
  void theValidationOutputIsWhereEvaluationPodsCanWrite() {
    ProbeMonitor m = Monitors.validating("ns", "run", 2, "pvc://evals/run/validation");
    assertEquals(List.of(), VALIDATOR.validate(m));
    m.getSpec().getValidation().setOutput("file:///evals/validation");
    assertTrue(only(m).startsWith("spec.validation.output: file:// is not writable in the worker pod"), only(m));
  }

  @Test
  void prefixSyntaxNamesTheField() {
    ProbeMonitor m = Monitors.monitor("ns", "run");
    m.getSpec().getCheckpoints().setUri("pvc://Not_A_Claim/x");
    assertTrue(only(m).startsWith("spec.checkpoints.uri: "), only(m));
  }

  @Test
  void stepPatternMustCompileAndCaptureTheStep() {
    ProbeMonitor m = Monitors.monitor("ns", "run");
    m.getSpec().getCheckpoints().setStepPattern("step-([0-9]+");
    assertTrue(only(m).startsWith("spec.checkpoints.stepPattern: ") && only(m).contains("not a regular expression"), only(m));
    m.getSpec().getCheckpoints().setStepPattern("step-[0-9]+");
    assertTrue(only(m).contains("has no group"), only(m));
  }

  @Test
  void s3NeedsACredentialsSecretOnThePrefix() {
    ProbeMonitor m = Monitors.monitor("ns", "run");
    m.getSpec().getCheckpoints().setUri("s3://ckpts/run");
    assertTrue(only(m).startsWith("spec.checkpoints.credentialsSecret: is required"), only(m));
  }

  @Test
  void whatTheEvaluationsGetIsCheckedAsTheirs() {
    ProbeMonitor m = Monitors.monitor("ns", "run");
    m.getSpec().getProbe().setUri("ftp://x");
    assertTrue(only(m).startsWith("spec.probe.uri: "), only(m));
    m = Monitors.monitor("ns", "run");
    m.getSpec().setTasks(List.of("gsm8k", "gsm8k"));
    assertTrue(only(m).startsWith("spec.tasks[1]: "), only(m));
  }

  @Test
  void theNameMustFitTheLabelOnItsEvaluations() {
    assertTrue(only(Monitors.monitor("ns", "m".repeat(64))).startsWith("metadata.name: "));
  }
}
