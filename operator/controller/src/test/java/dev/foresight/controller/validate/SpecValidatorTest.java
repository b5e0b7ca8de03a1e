package dev.foresight.controller.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.Dtype;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationSpec;
import dev.foresight.api.v1alpha1.ProbeSource;
import dev.foresight.api.v1alpha1.WorkerRuntime;
import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
  static final SpecValidator VALIDATOR = new SpecValidator(TestOperators.config());

  static List<String> problems(Consumer<ProbeEvaluationSpec> change) {
    ProbeEvaluation e = Fixtures.evaluation("ns", "e", 1000, "gsm8k", "mbpp");
    change.accept(e.getSpec());
    return VALIDATOR.validate(e.getSpec());
  }

  static void assertProblem(String expected, Consumer<ProbeEvaluationSpec> change) {
    List<String> problems = problems(change);
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(expected)), "expected '" + expected + "' in " + problems);
  }

  static WorkerRuntime runtime(ProbeEvaluationSpec spec) {
    if (spec.getRuntime() == null) {
      spec.setRuntime(new WorkerRuntime());
    }
    return spec.getRuntime();
  }

  @Test
  void aGoodSpecHasNoProblem() {
    assertEquals(List.of(), problems(s -> { }));
  }

  @Test
  void urisAreCheckedAndNamedByField() {
    assertProblem("spec.checkpoint.uri: 'http://x' must start with", s -> s.getCheckpoint().setUri("http://x"));
    assertProblem("spec.probe.uri: 'Bad_Claim' is not a valid PersistentVolumeClaim name",
        s -> s.getProbe().setUri("pvc://Bad_Claim/x"));
    assertProblem("spec.checkpoint.uri: 'pvc://c/../etc' must not contain '..'", s -> s.getCheckpoint().setUri("pvc://c/../etc"));
    assertProblem("spec.output: file:// is not writable", s -> s.setOutput("file:///results"));
  }

  @Test
  void theProbeIsAUriOrATrainingNeverBothOrNeither() {
    assertEquals(List.of(), problems(s -> s.setProbe(ProbeSource.training("olmo3-7b-probes"))));
    assertProblem("spec.probe: set exactly one of uri and trainingRef", s -> s.getProbe().setTrainingRef("probes"));
    assertProblem("spec.probe: set exactly one of uri and trainingRef", s -> s.getProbe().setUri(null));
    assertProblem("spec.probe.trainingRef: 'Probes_V3' is not a ProbeTraining name",
        s -> s.setProbe(ProbeSource.training("Probes_V3")));
  }

  @Test
  void s3NeedsOneCredentialsSecret() {
    assertProblem("spec.checkpoint.credentialsSecret: is required for an s3:// checkpoint",
        s -> s.getCheckpoint().setUri("s3://bucket/ckpt"));
    assertProblem("spec.probe.credentialsSecret: is required for an s3:// probe bundle",
        s -> s.getProbe().setUri("s3://bucket/probe"));
    assertProblem("spec.output: an s3:// output needs S3 credentials", s -> s.setOutput("s3://bucket/out"));
    assertProblem("spec.probe.credentialsSecret: 'b' differs from spec.checkpoint.credentialsSecret 'a'", s -> {
      s.getCheckpoint().setUri("s3://bucket/ckpt");
      s.getCheckpoint().setCredentialsSecret("a");
      s.getProbe().setCredentialsSecret("b");
    });
    assertProblem("spec.checkpoint.credentialsSecret: 'Not_A_Name' is not a valid Secret name", s -> {
      s.getCheckpoint().setUri("s3://bucket/ckpt");
      s.getCheckpoint().setCredentialsSecret("Not_A_Name");
    });
    assertEquals(List.of(), problems(s -> {
      s.getCheckpoint().setUri("s3://bucket/ckpt");
      s.getProbe().setUri("s3://bucket/probe");
      s.setOutput("s3://bucket/out");
      s.getCheckpoint().setCredentialsSecret("s3-creds");
    }), "the checkpoint's Secret serves the bundle and the output too");
  }

  @Test
  void tasksAreDistinctNames() {
    assertProblem("spec.tasks[2]: 'gsm8k' is listed twice", s -> s.setTasks(List.of("gsm8k", "mbpp", "gsm8k")));
    assertProblem("spec.tasks[0]: 'GSM 8K' is not a task name", s -> s.setTasks(List.of("GSM 8K")));
    assertProblem("spec.tasks: must name at least one task", s -> s.setTasks(List.of()));
  }

  @Test
  void float16NeedsAGpu() {
    assertProblem("spec.runtime.dtype: float16 needs a GPU, but spec.runtime.gpus is 0;", s -> {
      runtime(s).setDtype(Dtype.FLOAT16);
      runtime(s).setGpus(0);
    });
    SpecValidator cpuByDefault = new SpecValidator(TestOperators.config(ConfigKeys.DEFAULT_GPUS, "0"));
    ProbeEvaluation e = Fixtures.evaluation("ns", "e", 1);
    runtime(e.getSpec()).setDtype(Dtype.FLOAT16);
    assertTrue(cpuByDefault.validate(e.getSpec()).get(0).contains("(the operator's default)"));
    assertEquals(List.of(), problems(s -> runtime(s).setDtype(Dtype.FLOAT16)), "float16 on the default GPU is fine");
  }

  @Test
  void runtimeNamesAndQuantities() {
    assertProblem("spec.runtime.queueName: 'gpu queue' is not a valid Kueue LocalQueue name",
        s -> runtime(s).setQueueName("gpu queue"));
    assertProblem("spec.runtime.priorityClassName: 'High' is not a valid PriorityClass name",
        s -> runtime(s).setPriorityClassName("High"));
    assertProblem("spec.runtime.image: 'my image' is not an image reference", s -> runtime(s).setImage("my image"));
    assertProblem("spec.runtime.resources.limits: set GPUs with spec.runtime.gpus, not nvidia.com/gpu",
        s -> runtime(s).setResources(new ResourceRequirements(null, Map.of("nvidia.com/gpu", new Quantity("1")), null)));
    assertProblem("spec.runtime.resources.requests.memory: '32 gigs' is not a quantity",
        s -> runtime(s).setResources(new ResourceRequirements(null, null, Map.of("memory", new Quantity("32 gigs")))));
  }

  @Test
  void missingPartsAreNamedNotThrown() {
    assertEquals(List.of("spec: is required"), VALIDATOR.validate(null));
    assertProblem("spec.checkpoint: is required", s -> s.setCheckpoint(null));
    assertProblem("spec.probe: is required", s -> s.setProbe(null));
    assertProblem("spec.checkpoint.run: is required", s -> s.getCheckpoint().setRun(null));
    assertProblem("spec.checkpoint.step: is required", s -> s.getCheckpoint().setStep(null));
    assertProblem("spec.checkpoint.uri: is required", s -> s.getCheckpoint().setUri(null));
  }
}
