package dev.foresight.controller.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.v1alpha1.LabelSource;
import dev.foresight.api.v1alpha1.MonitorCheckpoints;
import dev.foresight.api.v1alpha1.PeriodicValidation;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.v1alpha1.StepRange;
import dev.foresight.api.v1alpha1.TrainingCheckpoints;
import dev.foresight.api.v1alpha1.ValidationLabels;
import dev.foresight.controller.support.TestOperators;
import dev.foresight.controller.support.Trainings;
import dev.foresight.controller.validate.SpecValidator;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingValidatorTest {
  static final TrainingValidator VALIDATOR = new TrainingValidator(new SpecValidator(TestOperators.config()));

  static ProbeTrainingSpec spec(int checkpoints) {
    return Trainings.training("ns", "demo", checkpoints, 2).getSpec();
  }

  @Test
  void aListedTrainingOnClaimsIsValid() {
    assertEquals(List.of(), VALIDATOR.validate(spec(3), null));
  }

  @Test
  void aCheckpointListedTwiceIsNamed() {
    ProbeTrainingSpec spec = spec(2);
    spec.getCheckpoints().getList().get(1).setUri(Trainings.uri(100));
    assertEquals(List.of("spec.checkpoints.list[1].uri: " + Trainings.uri(100)
        + " is listed twice (also spec.checkpoints.list[0])"), VALIDATOR.validate(spec, null));
  }

  @Test
  void s3NeedsCredentialsTheTrainingsOrTheMonitors() {
    ProbeTrainingSpec spec = spec(1);
    spec.getOutput().setUri("s3://bundles/olmo3-7b");
    List<String> problems = VALIDATOR.validate(spec, null);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).startsWith("spec.credentialsSecret: is required for s3://bundles/olmo3-7b"), problems.get(0));

    TrainingCheckpoints fromMonitor = new TrainingCheckpoints();
    fromMonitor.setMonitor(new MonitorCheckpoints("run", new StepRange(null, 300L)));
    spec.setCheckpoints(fromMonitor);
    CheckpointPrefix prefix = new CheckpointPrefix("s3://checkpoints/olmo3-7b");
    prefix.setCredentialsSecret("s3-creds");
    assertEquals(List.of(), VALIDATOR.validate(spec, prefix), "the monitor's Secret serves");
    assertEquals("s3-creds", TrainingValidator.credentialsSecret(spec, prefix));
  }

  @Test
  void aFileOutputIsNotWritableAndTooManyLabelPodsAreRefused() {
    ProbeTrainingSpec spec = spec(1);
    spec.getOutput().setUri("file:///bundles/demo");
    assertTrue(VALIDATOR.validate(spec, null).get(0).startsWith("spec.output.uri: file:// is not writable"));

    ProbeTrainingSpec many = spec(1000);
    many.getLabels().getGenerate().setShardsPerCheckpoint(101);
    List<String> problems = VALIDATOR.validate(many, null);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("101000 label pods"), problems.get(0));
  }

  @Test
  void monitorValidationLabelsNeedTheMonitorsCheckpointsAndItsKeptOutputs() {
    ProbeTrainingSpec listed = spec(2);
    listed.setLabels(LabelSource.monitorValidation(new ValidationLabels()));
    assertEquals(List.of(ProbeTrainingSpec.VALIDATION_NEEDS_MONITOR), VALIDATOR.validate(listed, null));

    ProbeTrainingSpec spec = spec(1);
    spec.setLabels(LabelSource.monitorValidation(new ValidationLabels(0.5)));
    TrainingCheckpoints fromMonitor = new TrainingCheckpoints();
    fromMonitor.setMonitor(new MonitorCheckpoints("olmo", new StepRange(null, 300L)));
    spec.setCheckpoints(fromMonitor);
    CheckpointPrefix prefix = new CheckpointPrefix(Trainings.uri(0).replaceAll("/[^/]*$", ""));
    assertEquals(List.of(), VALIDATOR.validate(spec, null, null), "the monitor is not there yet: checked once it is");
    List<String> problems = VALIDATOR.validate(spec, prefix, null);
    assertEquals(List.of("spec.labels.monitorValidation: ProbeMonitor olmo keeps no validation outputs (its"
        + " spec.validation is not set); set spec.validation.output there so that its validated evaluations keep"
        + " their per-prompt outcomes"), problems);
    PeriodicValidation validation = new PeriodicValidation();
    validation.setEvery(5);
    assertTrue(VALIDATOR.validate(spec, prefix, validation).get(0).contains("(its spec.validation.output is not set)"));
    validation.setOutput("pvc://evals/olmo/validation");
    assertEquals(List.of(), VALIDATOR.validate(spec, prefix, validation));
    validation.setOutput("s3://evals/olmo/validation");
    assertTrue(VALIDATOR.validate(spec, prefix, validation).get(0)
        .startsWith("spec.credentialsSecret: is required for s3://evals/olmo/validation"));
  }
}
