package dev.foresight.controller.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.training.TrainingPlan;
import dev.foresight.api.v1alpha1.ImportedLabels;
import dev.foresight.api.v1alpha1.LabelSource;
import dev.foresight.api.v1alpha1.ProbeTraining;
import dev.foresight.api.worker.TrainingStageCommand.Stage;
import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.support.TestOperators;
import dev.foresight.controller.support.Trainings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrainingJobBuilderTest {
  static final TrainingJobBuilder BUILDER = new TrainingJobBuilder(TestOperators.config(ConfigKeys.DEFAULT_GPUS, "2"));

  static ProbeTraining training() {
    ProbeTraining training = Trainings.training("ns", "demo", 3, 2);
    training.getMetadata().setUid("0b5e3b1c-1111-2222-3333-444455556666");
    return training;
  }

  static Job build(ProbeTraining training, Stage stage, int completions) {
    TrainingPlan plan = TrainingPlan.of(training.getMetadata().getName(), training.getSpec(), null);
    return BUILDER.build(training, stage, plan, training.getSpec().getCredentialsSecret(), completions);
  }

  @Test
  void importingIsAnIndexedJobOfOneCpuPodPerCheckpointReadingTheSampleLogs() {
    ProbeTraining training = training();
    ImportedLabels logs = new ImportedLabels();
    logs.setUri("pvc://lm-eval-logs/olmo3-7b");
    training.getSpec().setLabels(LabelSource.lmEval(logs));
    Job job = build(training, Stage.IMPORT, 3);
    assertEquals("Indexed", job.getSpec().getCompletionMode());
    assertEquals(3, job.getSpec().getCompletions());
    assertEquals(3, job.getSpec().getParallelism(), "never more pods at once than indexes");
    assertNull(job.getSpec().getBackoffLimit(), "indexes retry on their own (backoffLimitPerIndex)");
    assertNull(job.getSpec().getActiveDeadlineSeconds(), "the deadline is each pod's");
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(List.of("training", "import", "--plan", TrainingPlan.FILE, "--index", "$(JOB_COMPLETION_INDEX)",
        "--device", "cpu"), container.getArgs());
    assertNull(container.getResources().getLimits().get("nvidia.com/gpu"), "importing reads files: no GPU");
    Map<String, Boolean> claims = job.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getPersistentVolumeClaim() != null)
        .collect(Collectors.toMap(v -> v.getPersistentVolumeClaim().getClaimName(),
            v -> v.getPersistentVolumeClaim().getReadOnly()));
    assertEquals(Map.of("checkpoints", true, "tasks", true, "lm-eval-logs", true, "probes", false), claims);
  }

  @Test
  void trainingUsesTheRuntimesGpusAndS3CredentialsComeFromTheSecret() {
    ProbeTraining training = training();
    training.getSpec().getOutput().setUri("s3://bundles/olmo3-7b/trained");
    training.getSpec().setCredentialsSecret("s3-creds");
    training.getSpec().setBackoffLimit(4);
    Job job = build(training, Stage.TRAIN, 1);
    assertNull(job.getSpec().getCompletionMode());
    assertEquals(4, job.getSpec().getBackoffLimit());
    assertEquals(3600L, job.getSpec().getActiveDeadlineSeconds());
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals("2", container.getResources().getLimits().get("nvidia.com/gpu").toString());
    List<EnvVar> fromSecret = container.getEnv().stream().filter(e -> e.getValueFrom() != null).toList();
    assertEquals(List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL", "AWS_REGION"),
        fromSecret.stream().map(EnvVar::getName).toList());
    assertTrue(fromSecret.stream().allMatch(e -> "s3-creds".equals(e.getValueFrom().getSecretKeyRef().getName())));
    assertEquals(JobNames.ofTraining(training, Stage.TRAIN), job.getMetadata().getName());
    assertTrue(job.getMetadata().getName().matches("demo-train-[0-9a-f]{8}"), job.getMetadata().getName());
  }
}
