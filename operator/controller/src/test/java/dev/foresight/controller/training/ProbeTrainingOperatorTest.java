package dev.foresight.controller.training;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.training.TrainingPlan;
import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeTraining;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.v1alpha1.ProbeTrainingStatus;
import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.api.v1alpha1.TrainingStage;
import dev.foresight.api.v1alpha1.LabelSource;
import dev.foresight.api.v1alpha1.MonitorCheckpoints;
import dev.foresight.api.v1alpha1.ValidationLabels;
import dev.foresight.api.v1alpha1.StepRange;
import dev.foresight.api.v1alpha1.TrainingCheckpoints;
import dev.foresight.api.v1alpha1.WorkerRuntime;
import dev.foresight.api.worker.LabelShardCommand;
import dev.foresight.api.worker.TrainingStageCommand.Stage;
import dev.foresight.controller.ForesightOperator;
import dev.foresight.controller.job.JobNames;
import dev.foresight.controller.job.WorkerLabels;
import dev.foresight.controller.metrics.MetricNames;
import dev.foresight.controller.status.Conditions;
import dev.foresight.controller.support.ClusterSimulator;
import dev.foresight.controller.support.Monitors;
import dev.foresight.controller.support.Scrape;
import dev.foresight.controller.support.TestOperators;
import dev.foresight.controller.support.Trainings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ProbeTraining controller in the real operator against the mock API server. The test plays the
 * Job controller and the kubelet: it finishes each stage's Job and writes the pods' termination
 * messages (the stage reports) itself. Each test has its own namespace.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ProbeTrainingOperatorTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static KubernetesMockServer server;
  static KubernetesClient client;
  static ForesightOperator operator;

  @BeforeAll
  static void start() {
    TestOperators.installCrd(client);
    operator = TestOperators.start(server, TestOperators.config());
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void stagesAdvanceFromCheckToTrainedBundle() {
    String ns = "stages";
    ClusterSimulator cluster = new ClusterSimulator(client);
    Trainings trainings = new Trainings(client, ns);
    ProbeTraining training = Trainings.training(ns, "demo", 2, 2);
    WorkerRuntime runtime = new WorkerRuntime();
    runtime.setQueueName("gpu-queue");
    training.getSpec().setRuntime(runtime);
    client.resource(training).create();

    Job check = await().atMost(WAIT).until(() -> trainings.job("demo", Stage.CHECK), j -> j != null);
    assertEquals(JobNames.ofTraining(trainings.get("demo"), Stage.CHECK), check.getMetadata().getName());
    assertTrue(check.getMetadata().getName().startsWith("demo-check-"), check.getMetadata().getName());
    Container checkPod = container(check);
    assertEquals(List.of("training", "check", "--plan", TrainingPlan.FILE, "--device", "cpu"), checkPod.getArgs());
    assertNull(checkPod.getResources().getLimits().get("nvidia.com/gpu"), "checking needs no GPU");
    assertEquals("gpu-queue", check.getMetadata().getLabels().get(WorkerLabels.KUEUE_QUEUE));
    assertEquals(Boolean.TRUE, check.getMetadata().getOwnerReferences().get(0).getController());
    assertPlanMounted(check, trainings.get("demo"));
    assertClaims(check, Map.of("checkpoints", true, "tasks", true, "probes", false));
    ConfigMap plan = client.configMaps().inNamespace(ns).withName(JobNames.ofTrainingPlan(trainings.get("demo"))).get();
    TrainingPlan read = TrainingPlan.fromJson(plan.getData().get(TrainingPlan.CONFIG_MAP_KEY));
    assertEquals(2, read.checkpoints().size());
    assertEquals("ProbeTraining", plan.getMetadata().getOwnerReferences().get(0).getKind());
    ProbeTrainingStatus checking = await().atMost(WAIT).until(() -> trainings.get("demo").getStatus(),
        s -> s != null && s.getStage() == TrainingStage.Checking);
    assertEquals(read.workDir(), checking.getWorkDir());
    assertTrue(checking.getWorkDir().startsWith(Trainings.OUTPUT + ".work/"), checking.getWorkDir());

    cluster.succeed(check, Trainings.checkReport(2, 11));
    Job label = await().atMost(WAIT).until(() -> trainings.job("demo", Stage.LABEL), j -> j != null);
    assertEquals("Indexed", label.getSpec().getCompletionMode());
    assertEquals(4, label.getSpec().getCompletions(), "2 checkpoints x 2 shards");
    assertEquals(3, label.getSpec().getParallelism());
    assertEquals(2, label.getSpec().getBackoffLimitPerIndex(), "spec.backoffLimit's default");
    assertEquals(0, label.getSpec().getMaxFailedIndexes());
    assertEquals("gpu-queue", label.getMetadata().getLabels().get(WorkerLabels.KUEUE_QUEUE));
    Container labelPod = container(label);
    assertEquals(List.of("training", "label", "--plan", TrainingPlan.FILE, "--index", LabelShardCommand.JOB_INDEX,
        "--device", "cuda"), labelPod.getArgs());
    assertEquals("1", labelPod.getResources().getLimits().get("nvidia.com/gpu").toString());
    assertEquals(Long.valueOf(ProbeTrainingSpec.DEFAULT_DEADLINE_SECONDS), label.getSpec().getTemplate().getSpec().getActiveDeadlineSeconds(),
        "each label pod has the deadline, not the whole Job");
    assertPlanMounted(label, trainings.get("demo"));

    // Shard 0 of each checkpoint done: 6 of 11 prompts each (shard 1 holds the other 5).
    cluster.indexesCompleted(label, "0,2", 2);
    ProbeTrainingStatus labelling = await().atMost(WAIT).until(() -> trainings.get("demo").getStatus(),
        s -> s.getProgress() != null && Integer.valueOf(2).equals(s.getProgress().getShardsDone()));
    assertEquals(TrainingStage.Labelling, labelling.getStage());
    assertEquals(Phase.Running, labelling.getPhase());
    assertEquals("2/4 shards, 12/22 prompts", labelling.getProgress().getSummary());
    assertEquals(Trainings.ARCHITECTURE, labelling.getArchitecture());

    cluster.indexesCompleted(label, "0-3", 4);
    cluster.complete(label);
    Job extract = await().atMost(WAIT).until(() -> trainings.job("demo", Stage.EXTRACT), j -> j != null);
    assertEquals(2, extract.getSpec().getCompletions(), "one index per checkpoint");
    assertEquals("Indexed", extract.getSpec().getCompletionMode());
    cluster.indexesCompleted(extract, "0", 1);
    await().atMost(WAIT).until(() -> trainings.get("demo").getStatus().getProgress().getSummary(),
        "1/2 checkpoints extracted"::equals);
    cluster.indexesCompleted(extract, "0-1", 2);
    cluster.complete(extract);

    Job train = await().atMost(WAIT).until(() -> trainings.job("demo", Stage.TRAIN), j -> j != null);
    assertEquals(List.of("training", "train", "--plan", TrainingPlan.FILE, "--device", "cuda"), container(train).getArgs());
    cluster.succeed(train, Trainings.trainingReport());

    ProbeTrainingStatus done = await().atMost(WAIT).until(() -> trainings.get("demo").getStatus(),
        s -> s.getPhase() == Phase.Succeeded);
    assertEquals(TrainingStage.Done, done.getStage());
    assertEquals("mlp", done.getChosenFamily());
    assertEquals(0.78, done.getBestHeldOutAuroc());
    assertEquals(List.of("linear", "mlp"), done.getFamilies().stream().map(f -> f.getFamily()).toList());
    assertEquals(Trainings.OUTPUT, done.getBundle().getUri());
    assertEquals("sha256:" + "ef".repeat(32), done.getBundle().getFingerprint());
    assertEquals("mlp", done.getBundle().getFamily());
    assertEquals(Conditions.TRUE, condition(done, Conditions.COMPLETE).getStatus());
    assertEquals(Conditions.TRUE, condition(done, Conditions.ACCEPTED).getStatus());
    assertNotNull(done.getCompletionTime());
    assertEquals(4, trainings.jobs().size(), "one Job per stage");

    await().atMost(WAIT).untilAsserted(() -> assertEquals(
        List.of("Checking", "Labelling", "Extracting", "Training", "Succeeded"), eventReasons(ns)));
    // Counted right after the status write that the test may see first.
    await().atMost(WAIT).untilAsserted(() -> assertTrue(Scrape.samples(operator.httpPort(), MetricNames.TRAININGS_TOTAL)
        .contains("foresight_trainings_total{namespace=\"stages\",result=\"Succeeded\"} 1.0")));
    List<String> durations = Scrape.samples(operator.httpPort(), MetricNames.TRAINING_STAGE_DURATION_SECONDS + "_count");
    for (String stage : List.of("checking", "labelling", "extracting", "training")) {
      assertTrue(durations.stream().anyMatch(l -> l.contains("stage=\"" + stage + "\"")), durations.toString());
    }
    assertTrue(Scrape.samples(operator.httpPort(), MetricNames.TRAININGS_IN_PROGRESS).size() == 1);
  }

  @Test
  void aShardThatFailsForGoodFailsTheTrainingNamingCheckpointAndShard() {
    String ns = "failed-shard";
    ClusterSimulator cluster = new ClusterSimulator(client);
    Trainings trainings = new Trainings(client, ns);
    client.resource(Trainings.training(ns, "demo", 2, 2)).create();
    Job label = trainings.checked(cluster, "demo", 2, 10);
    cluster.indexesCompleted(label, "0-2", 3);
    // Index 3 = checkpoint #1 (step 200), shard 1 of 2: its pod failed on every retry.
    cluster.terminated(cluster.running(cluster.createPod(label, 3)), 1,
        "cannot read model.safetensors: unexpected end of file at byte 1048576", null);
    cluster.indexFailed(label, "3");

    ProbeTrainingStatus failed = await().atMost(WAIT).until(() -> trainings.get("demo").getStatus(),
        s -> s.getPhase() == Phase.Failed);
    Condition condition = condition(failed, Conditions.FAILED);
    assertEquals(Reason.WorkerFailed.name(), condition.getReason());
    String message = failed.getMessage();
    assertTrue(message.contains("checkpoint " + Trainings.uri(200) + " (step 200)"), message);
    assertTrue(message.contains("shard 1 of 2"), message);
    assertTrue(message.contains("unexpected end of file at byte 1048576"), "the pod's own words: " + message);
    assertEquals(message, condition.getMessage());
    assertNull(trainings.job("demo", Stage.EXTRACT), "no stage after a failed one");
    await().atMost(WAIT).untilAsserted(() -> assertTrue(eventReasons(ns).contains(Reason.WorkerFailed.name())));
    await().atMost(WAIT).untilAsserted(() -> assertTrue(Scrape.samples(operator.httpPort(), MetricNames.TRAININGS_TOTAL)
        .contains("foresight_trainings_total{namespace=\"failed-shard\",result=\"WorkerFailed\"} 1.0")));
  }

  @Test
  void aLabelPodWaitingForAGpuIsReportedThenOneThatCannotPullItsImageFailsTheTrainingAndStopsTheJob() {
    String ns = "no-image";
    ClusterSimulator cluster = new ClusterSimulator(client);
    Trainings trainings = new Trainings(client, ns);
    client.resource(Trainings.training(ns, "demo", 2, 2)).create();
    Job label = trainings.checked(cluster, "demo", 2, 10);
    String noGpu = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu.";
    cluster.unschedulable(cluster.createPod(label, 0), noGpu);
    ProbeTrainingStatus waiting = await().atMost(WAIT).until(() -> trainings.get("demo").getStatus(),
        s -> Reason.Unschedulable.name().equals(Conditions.find(s.getConditions(), Conditions.SCHEDULED)
            .map(Condition::getReason).orElse(null)));
    assertTrue(waiting.getMessage().startsWith("labelling: the stage's pod cannot be scheduled: " + noGpu),
        waiting.getMessage());

    cluster.imagePullBackOff(cluster.createPod(label, 1), "Back-off pulling image \"registry.example/nope\"");
    ProbeTrainingStatus failed = await().atMost(WAIT).until(() -> trainings.get("demo").getStatus(),
        s -> s.getPhase() == Phase.Failed);
    assertEquals(Reason.ImagePullFailed.name(), condition(failed, Conditions.FAILED).getReason());
    assertTrue(failed.getMessage().startsWith("labelling failed: cannot pull the worker image"), failed.getMessage());
    await().atMost(WAIT).until(() -> Boolean.TRUE.equals(trainings.job("demo", Stage.LABEL).getSpec().getSuspend()));
  }

  @Test
  void mixedArchitecturesFoundByTheCheckAreInvalidSpecBeforeAnyLabelPod() {
    String ns = "mixed";
    ClusterSimulator cluster = new ClusterSimulator(client);
    Trainings trainings = new Trainings(client, ns);
    client.resource(Trainings.training(ns, "demo", 2, 1)).create();
    Job check = trainings.awaitJob("demo", Stage.CHECK);
    String worker = "spec.checkpoints.list[1]: " + Trainings.uri(200) + " is Qwen3ForCausalLM, but "
        + Trainings.uri(100) + " is Olmo3ForCausalLM: one training labels checkpoints of one architecture";
    cluster.finish(check, 2, worker);

    ProbeTrainingStatus failed = await().atMost(WAIT).until(() -> trainings.get("demo").getStatus(),
        s -> s.getPhase() == Phase.Failed);
    Condition accepted = condition(failed, Conditions.ACCEPTED);
    assertEquals(Conditions.FALSE, accepted.getStatus());
    assertEquals(Reason.InvalidSpec.name(), accepted.getReason());
    assertTrue(accepted.getMessage().contains(worker), accepted.getMessage());
    assertEquals(Reason.InvalidSpec.name(), condition(failed, Conditions.FAILED).getReason());
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> trainings.jobs().size() == 1);
    assertNull(trainings.job("demo", Stage.LABEL));
  }

  @Test
  void duplicateStepsAreInvalidSpecAndNoJobRuns() {
    String ns = "duplicates";
    Trainings trainings = new Trainings(client, ns);
    ProbeTraining training = Trainings.training(ns, "demo", 3, 1);
    training.getSpec().getCheckpoints().getList().get(2).setStep(100L);
    client.resource(training).create();

    ProbeTrainingStatus failed = await().atMost(WAIT).until(() -> trainings.get("demo").getStatus(),
        s -> s != null && s.getPhase() == Phase.Failed);
    Condition accepted = condition(failed, Conditions.ACCEPTED);
    assertEquals(Reason.InvalidSpec.name(), accepted.getReason());
    assertTrue(accepted.getMessage().contains("spec.checkpoints.list[2].step: 100 is also the step of spec.checkpoints.list[0]"),
        accepted.getMessage());
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> trainings.jobs().isEmpty());
    assertTrue(client.configMaps().inNamespace(ns).list().getItems().isEmpty(), "no plan either");
  }

  @Test
  void monitorModeWaitsForTheMonitorThenChecksItsPrefix() {
    String ns = "from-monitor";
    Trainings trainings = new Trainings(client, ns);
    ProbeTraining training = Trainings.training(ns, "demo", 1, 1);
    TrainingCheckpoints fromMonitor = new TrainingCheckpoints();
    fromMonitor.setMonitor(new MonitorCheckpoints("run", new StepRange(100L, 300L)));
    training.getSpec().setCheckpoints(fromMonitor);
    client.resource(training).create();

    ProbeTrainingStatus waiting = await().atMost(WAIT).until(() -> trainings.get("demo").getStatus(),
        s -> s != null && !s.getConditions().isEmpty());
    assertEquals(TrainingPass.MONITOR_NOT_FOUND, condition(waiting, Conditions.ACCEPTED).getReason());
    assertEquals(Phase.Pending, waiting.getPhase());
    assertTrue(waiting.getMessage().contains("ProbeMonitor run"), waiting.getMessage());
    assertTrue(trainings.jobs().isEmpty());

    ProbeMonitor monitor = Monitors.monitor(ns, "run");
    monitor.getSpec().setSuspend(true); // no scans: only its prefix matters here
    client.resource(monitor).create();
    Job check = trainings.awaitJob("demo", Stage.CHECK);
    TrainingPlan plan = TrainingPlan.fromJson(client.configMaps().inNamespace(ns)
        .withName(JobNames.ofTrainingPlan(trainings.get("demo"))).get().getData().get(TrainingPlan.CONFIG_MAP_KEY));
    assertEquals(Monitors.PREFIX, plan.prefix().getUri());
    assertEquals(new StepRange(100L, 300L), plan.steps());
    assertNull(plan.checkpoints());
    assertClaims(check, Map.of("checkpoints", true, "tasks", true, "probes", false));
    // The status follows the Job it records.
    await().atMost(WAIT).until(() -> condition(trainings.get("demo").getStatus(), Conditions.ACCEPTED).getStatus(),
        Conditions.TRUE::equals);
  }

  @Test
  void labelsFromTheMonitorsValidationRunsAreImportedOnCpuFromItsKeptOutputs() {
    String ns = "from-validation";
    ClusterSimulator cluster = new ClusterSimulator(client);
    Trainings trainings = new Trainings(client, ns);
    ProbeTraining training = Trainings.training(ns, "demo", 1, 1);
    TrainingCheckpoints fromMonitor = new TrainingCheckpoints();
    fromMonitor.setMonitor(new MonitorCheckpoints("run", new StepRange(100L, 900L)));
    training.getSpec().setCheckpoints(fromMonitor);
    training.getSpec().setLabels(LabelSource.monitorValidation(new ValidationLabels(0.8)));
    ProbeMonitor monitor = Monitors.validating(ns, "run", 3, "pvc://evals/run/validation");
    monitor.getSpec().setSuspend(true); // no scans: only its spec matters here
    client.resource(monitor).create();
    client.resource(training).create();

    Job check = trainings.awaitJob("demo", Stage.CHECK);
    TrainingPlan plan = TrainingPlan.fromJson(client.configMaps().inNamespace(ns)
        .withName(JobNames.ofTrainingPlan(trainings.get("demo"))).get().getData().get(TrainingPlan.CONFIG_MAP_KEY));
    assertEquals("pvc://evals/run/validation", plan.validationOutput());
    assertEquals(TrainingPlan.workDir(training.getSpec(), monitor.getSpec().getCheckpoints(), "pvc://evals/run/validation"),
        plan.workDir());
    assertClaims(check, Map.of("checkpoints", true, "tasks", true, "evals", true, "probes", false));

    cluster.succeed(check, Trainings.checkReport(3, 16));
    Job importing = trainings.awaitJob("demo", Stage.IMPORT);
    assertNull(trainings.job("demo", Stage.LABEL), "nothing is generated");
    assertEquals(3, importing.getSpec().getCompletions(), "one index per validated checkpoint");
    Container pod = container(importing);
    assertEquals(List.of("training", "import", "--plan", TrainingPlan.FILE, "--index", LabelShardCommand.JOB_INDEX,
        "--device", "cpu"), pod.getArgs());
    assertNull(pod.getResources().getLimits().get("nvidia.com/gpu"), "importing needs no GPU");
    assertClaims(importing, Map.of("checkpoints", true, "tasks", true, "evals", true, "probes", false));
  }

  static Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static void assertPlanMounted(Job job, ProbeTraining training) {
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Volume plan = pod.getVolumes().stream().filter(v -> v.getConfigMap() != null).findFirst().orElseThrow();
    assertEquals(JobNames.ofTrainingPlan(training), plan.getConfigMap().getName());
    VolumeMount mount = container(job).getVolumeMounts().stream().filter(m -> m.getName().equals(plan.getName()))
        .findFirst().orElseThrow();
    assertEquals(TrainingPlan.MOUNT_PATH, mount.getMountPath());
    assertEquals(Boolean.TRUE, mount.getReadOnly());
  }

  /** Each claim mounted, read-only or not, and no other. */
  static void assertClaims(Job job, Map<String, Boolean> readOnly) {
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Map<String, Boolean> claims = pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
        .collect(Collectors.toMap(v -> v.getPersistentVolumeClaim().getClaimName(),
            v -> Boolean.TRUE.equals(v.getPersistentVolumeClaim().getReadOnly())));
    assertEquals(readOnly, claims);
    Predicate<VolumeMount> pvc = m -> m.getMountPath().startsWith("/mnt/pvc/");
    assertEquals(readOnly.size(), container(job).getVolumeMounts().stream().filter(pvc).count());
  }

  static Condition condition(ProbeTrainingStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow(() -> new AssertionError("no " + type + " in "
        + status.getConditions()));
  }

  static List<String> eventReasons(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "ProbeTraining".equals(e.getInvolvedObject().getKind()))
        .sorted(java.util.Comparator.comparing(e -> e.getMetadata().getName()))
        .map(e -> e.getReason()).toList();
  }
}
