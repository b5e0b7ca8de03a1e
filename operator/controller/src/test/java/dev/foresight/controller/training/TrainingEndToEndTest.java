package dev.foresight.controller.training;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.StorageUri;
import dev.foresight.api.v1alpha1.BundleOutput;
import dev.foresight.api.v1alpha1.CheckpointSource;
import dev.foresight.api.v1alpha1.FamilyMetrics;
import dev.foresight.api.v1alpha1.GeneratedLabels;
import dev.foresight.api.v1alpha1.LabelSource;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationSpec;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.api.v1alpha1.ProbeSource;
import dev.foresight.api.v1alpha1.ProbeTraining;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.v1alpha1.ProbeTrainingStatus;
import dev.foresight.api.v1alpha1.TaskFiles;
import dev.foresight.api.v1alpha1.TaskResult;
import dev.foresight.api.v1alpha1.TrainingCheckpoints;
import dev.foresight.api.v1alpha1.TrainingSettings;
import dev.foresight.api.v1alpha1.TrainingStage;
import dev.foresight.api.v1alpha1.WorkerRuntime;
import dev.foresight.controller.ForesightOperator;
import dev.foresight.controller.metrics.MetricNames;
import dev.foresight.controller.status.Conditions;
import dev.foresight.controller.support.EvaluationStatuses;
import dev.foresight.controller.support.Scrape;
import dev.foresight.controller.support.TestOperators;
import dev.foresight.controller.support.WorkerKubelet;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.storage.LocalTree;
import dev.foresight.worker.tasks.TaskSet;
import dev.foresight.worker.world.SyntheticWorld;
import dev.foresight.worker.world.WorldModelTrainer;
import dev.foresight.worker.world.WorldRecipe;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's "Build a probe in the cluster" walk-through, as a new user runs it, on CPU: a
 * ProbeTraining on a tiny world's first three checkpoints, and a ProbeEvaluation of the last one
 * whose probe is the training's bundle. Everything is real (the whole operator against the mock
 * API server, the worker's commands on real checkpoints) except the kubelet and the Job
 * controller, which {@link WorkerKubelet} plays by running each pod's command in this process.
 * The claims live under the worker's FORESIGHT_PVC_ROOT, which the build sets for this module.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class TrainingEndToEndTest {
  /** 16 prompts per task, 400 steps of the small model, a checkpoint every 100: four checkpoints. */
  static final WorldRecipe TINY = new WorldRecipe(16, 2026, SyntheticWorld.Sizes.SMALL,
      WorldModelTrainer.Options.small(400, 100, 7));
  static final String CLAIM = "demo";
  static final String WORLD = "pvc://" + CLAIM + "/world";
  /** Each test trains into its own output (and so its own work folder): neither reuses the other's files. */
  static final String OUTPUT = "pvc://" + CLAIM + "/trained/";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final Duration RUN_LIMIT = Duration.ofMinutes(5);

  static KubernetesMockServer server;
  static KubernetesClient client;
  static ForesightOperator operator;
  static Path claims;
  static List<String> tasks;

  @BeforeAll
  static void start() throws IOException {
    claims = Path.of(System.getenv().getOrDefault("FORESIGHT_PVC_ROOT", StorageUri.PVC_MOUNT_ROOT));
    Path world = local(WORLD);
    LocalTree.delete(claims.resolve(CLAIM));
    TINY.make(world, new ProgressBar("tiny world", "steps", TINY.training().steps(), ProgressBar.Mode.OFF,
        System.out, System::nanoTime));
    tasks = TINY.tasks().sets().stream().map(TaskSet::name).sorted().toList();
    TestOperators.installCrd(client);
    operator = TestOperators.start(server, TestOperators.config());
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void theWalkThroughTrainsABundleAndTheWaitingEvaluationUsesIt() throws IOException {
    String ns = "walk-through";
    List<Integer> steps = TINY.checkpointSteps();
    client.resource(evaluation(ns, "last", steps.get(steps.size() - 1))).create();
    await().atMost(WAIT).until(() -> scheduledReason(ns, "last"), "WaitingForTraining"::equals);

    List<ProbeTrainingStatus> seen = Collections.synchronizedList(new ArrayList<>());
    // Between an Indexed Job's last pod and its Complete condition the operator shows all indexes done.
    WorkerKubelet kubelet = new WorkerKubelet(client, ns, scratch()).beforeIndexedVerdict(job -> {
      int indexes = job.getSpec().getCompletions();
      await().atMost(WAIT).until(() -> summary(ns), p -> p != null && p.startsWith(indexes + "/" + indexes + " "));
    });
    try (Watch watch = watchStatuses(ns, seen)) {
      client.resource(training(ns, "probes", steps.subList(0, 3))).create();
      runUntil(kubelet, () -> phase(evaluation(ns)) == Phase.Succeeded || phase(evaluation(ns)) == Phase.Failed
          || trainingStatus(ns).getPhase() == Phase.Failed);
    }
    String log = describe(kubelet);

    ProbeTrainingStatus training = trainingStatus(ns);
    assertEquals(Phase.Succeeded, training.getPhase(), training.getMessage() + log);
    assertEquals(List.of(TrainingStage.Checking, TrainingStage.Labelling, TrainingStage.Extracting,
        TrainingStage.Training), distinctRunningStages(seen), log);
    assertEquals(List.of("linear", "mlp"), training.getFamilies().stream().map(FamilyMetrics::getFamily).toList());
    assertNotNull(training.getChosenFamily());
    // 16 prompts a task leave both classes among each task's held-out prompts (8 left some single-class).
    assertNotNull(training.getBestHeldOutAuroc(), "no family has a held-out AUROC: " + training.getFamilies());
    assertEquals(training.getChosenFamily(), training.getBundle().getFamily());
    assertEquals(OUTPUT + ns, training.getBundle().getUri());
    assertTrue(training.getBundle().getFingerprint().startsWith("sha256:"), training.getBundle().getFingerprint());
    List<String> summaries = progressSummaries(seen);
    assertTrue(summaries.stream().anyMatch(p -> p.startsWith("6/6 shards")), summaries.toString());

    // Six label pods did the sampling themselves (nothing was found in place), then the merge.
    List<String> labelled = output(kubelet, "label");
    assertEquals(6, labelled.size(), log);
    labelled.forEach(o -> assertTrue(o.contains("prompts labelled now, 0 before"), o));
    // The shards were merged into one label file per checkpoint, and the bundle is where the spec says.
    Path work = local(training.getWorkDir());
    for (int step : steps.subList(0, 3)) {
      assertTrue(Files.isRegularFile(work.resolve("labels").resolve("step-" + step).resolve("labels.jsonl")),
          "merged labels of step " + step + " under " + work);
    }
    Path bundle = local(OUTPUT + ns);
    assertTrue(Files.isRegularFile(bundle.resolve("probe.json")), bundle + log);
    assertEquals(training.getBundle().getFingerprint(), ProbeBundle.read(bundle).fingerprint());

    // The evaluation waited, then ran on the trained bundle.
    ProbeEvaluationStatus evaluation = evaluation(ns);
    assertEquals(Phase.Succeeded, evaluation.getPhase(), evaluation.getMessage() + log);
    WorkerKubelet.Run evaluate = kubelet.runs().stream().filter(r -> r.args().get(0).equals("evaluate")).findFirst()
        .orElseThrow();
    assertEquals(OUTPUT + ns, evaluate.args().get(evaluate.args().indexOf("--probe") + 1));
    assertEquals(training.getBundle().getFingerprint(), evaluation.getProbeFingerprint());
    assertEquals(tasks, evaluation.getResults().stream().map(TaskResult::getTask).sorted().toList());
    for (TaskResult result : evaluation.getResults()) {
      double p = result.getPredictedPassAt1();
      assertTrue(p >= 0 && p <= 1, result.getTask() + ": " + p);
    }
    assertTrue(EvaluationStatuses.eventReasons(client, ns, "last").contains("WaitingForTraining"));
    // What a user would read off kubectl, kept in the test's output for the record.
    List<String> families = training.getFamilies().stream()
        .map(f -> f.getFamily() + " AUROC " + f.getAuroc() + ", |Δ pass@1| " + f.getCheckpointAbsError()).toList();
    List<String> predictions = evaluation.getResults().stream()
        .map(r -> r.getTask() + "=" + r.getPredictedPassAt1()).toList();
    System.out.println("walk-through: chose " + training.getChosenFamily() + " of " + families + "; step "
        + steps.get(steps.size() - 1) + " predicted pass@1 " + predictions);

    await().atMost(WAIT).untilAsserted(() -> assertTrue(Scrape.samples(operator.httpPort(), MetricNames.TRAININGS_TOTAL)
        .contains("foresight_trainings_total{namespace=\"" + ns + "\",result=\"Succeeded\"} 1.0")));
  }

  @Test
  void theSameTrainingReCreatedAfterDeletionReusesEveryOutput() {
    String ns = "again";
    List<Integer> steps = TINY.checkpointSteps().subList(0, 3);
    ProbeTraining first = client.resource(training(ns, "probes", steps)).create();
    WorkerKubelet kubelet = new WorkerKubelet(client, ns, scratch());
    runUntil(kubelet, () -> finished(ns));
    String firstFingerprint = trainingStatus(ns).getBundle().getFingerprint();

    client.resource(first).delete();
    await().atMost(WAIT).until(() -> client.resources(ProbeTraining.class).inNamespace(ns).withName("probes").get() == null);
    collectGarbage(ns, first.getMetadata().getUid());
    client.resource(training(ns, "probes", steps)).create();
    WorkerKubelet again = new WorkerKubelet(client, ns, scratch());
    runUntil(again, () -> finished(ns));
    String log = describe(again);

    ProbeTrainingStatus status = trainingStatus(ns);
    assertEquals(Phase.Succeeded, status.getPhase(), status.getMessage() + log);
    assertEquals(firstFingerprint, status.getBundle().getFingerprint(), log);
    assertTrue(output(again, "check").stream().allMatch(o -> o.contains("output bundle: same")), log);
    List<String> labels = output(again, "label");
    assertEquals(6, labels.size(), log);
    labels.forEach(o -> assertTrue(o.contains("already labelled") && !o.contains("prompts labelled now"), o));
    List<String> extracts = output(again, "extract");
    assertEquals(3, extracts.size(), log);
    extracts.forEach(o -> assertTrue(o.contains("labels already merged") && o.contains("linear features already extracted")
        && o.contains("mlp features already extracted"), o));
    List<String> train = output(again, "train");
    assertEquals(1, train.size(), log);
    assertTrue(train.get(0).contains("linear: already trained on these checkpoints")
        && train.get(0).contains("mlp: already trained on these checkpoints")
        && train.get(0).contains("the output already holds this bundle"), train.get(0));
  }

  /** The logs of the pods of one training stage ({@code training <stage> …}). */
  static List<String> output(WorkerKubelet kubelet, String stage) {
    return kubelet.runs().stream().filter(r -> r.args().size() > 1 && r.args().get(0).equals("training")
        && r.args().get(1).equals(stage)).map(r -> r.result().log()).toList();
  }

  /**
   * What Kubernetes' garbage collector does once an owner is gone, and the mock server does not:
   * the Jobs, pods and ConfigMaps it owned go too, so the re-created training starts afresh.
   */
  static void collectGarbage(String ns, String ownerUid) {
    List<HasMetadata> owned = new ArrayList<>();
    owned.addAll(client.batch().v1().jobs().inNamespace(ns).list().getItems());
    owned.addAll(client.configMaps().inNamespace(ns).list().getItems());
    List<String> ownedJobs = owned.stream().filter(r -> ownedBy(r, ownerUid)).map(r -> r.getMetadata().getUid()).toList();
    owned.addAll(client.pods().inNamespace(ns).list().getItems());
    owned.stream().filter(r -> ownedBy(r, ownerUid) || r.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> ownedJobs.contains(o.getUid()))).forEach(r -> client.resource(r).delete());
  }

  static boolean ownedBy(HasMetadata resource, String uid) {
    return resource.getMetadata().getOwnerReferences().stream().anyMatch(o -> uid.equals(o.getUid()));
  }

  static Path scratch() {
    try {
      return Files.createTempDirectory("mounts");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ProbeTraining training(String ns, String name, List<Integer> steps) {
    ProbeTrainingSpec spec = new ProbeTrainingSpec();
    spec.setRun("tiny");
    TrainingCheckpoints checkpoints = new TrainingCheckpoints();
    checkpoints.setList(steps.stream().map(s -> new LabelledCheckpoint(checkpoint(s), (long) s)).toList());
    spec.setCheckpoints(checkpoints);
    spec.setTasks(new TaskFiles(WORLD + "/tasks"));
    GeneratedLabels generate = new GeneratedLabels();
    // The world's own labelling settings but 2 samples: a shorter answer cap would cut right answers.
    generate.setSamples(2);
    generate.setTemperature(TINY.labelling().temperature());
    generate.setMaxNewTokens(TINY.labelling().maxNewTokens());
    generate.setSeed(5L);
    generate.setShardsPerCheckpoint(2);
    spec.setLabels(LabelSource.generate(generate));
    TrainingSettings probe = new TrainingSettings();
    probe.setFamilies(List.of("linear", "mlp"));
    probe.setHeldOutCheckpoints(1);
    spec.setProbe(probe);
    spec.setOutput(new BundleOutput(OUTPUT + ns));
    spec.setRuntime(onCpu());
    ProbeTraining training = new ProbeTraining();
    training.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    training.setSpec(spec);
    return training;
  }

  static ProbeEvaluation evaluation(String ns, String name, int step) {
    ProbeEvaluationSpec spec = new ProbeEvaluationSpec();
    spec.setCheckpoint(new CheckpointSource(checkpoint(step), "tiny", (long) step));
    spec.setProbe(ProbeSource.training("probes"));
    spec.setRuntime(onCpu());
    ProbeEvaluation evaluation = new ProbeEvaluation();
    evaluation.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    evaluation.setSpec(spec);
    return evaluation;
  }

  /** As the demo's examples say: no GPU (a pod asking for one would refuse to fall back to the CPU). */
  static WorkerRuntime onCpu() {
    WorkerRuntime runtime = new WorkerRuntime();
    runtime.setGpus(0);
    return runtime;
  }

  /** Where a pod would find a pvc:// location: under the claims' root. */
  static Path local(String uri) {
    return StorageUri.parse("uri", uri).localPath(claims);
  }

  static String checkpoint(int step) {
    return WORLD + "/checkpoints/step-" + step;
  }

  /** The kubelet runs each new Job until {@code done}; a stuck walk-through fails with what ran. */
  static void runUntil(WorkerKubelet kubelet, BooleanSupplier done) {
    long deadline = System.nanoTime() + RUN_LIMIT.toNanos();
    while (!done.getAsBoolean()) {
      if (kubelet.runNewJobs() == 0) {
        assertTrue(System.nanoTime() < deadline, "the walk-through did not finish" + describe(kubelet));
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** Every status the training is given, as {@code kubectl get ptr -w} shows them. */
  static Watch watchStatuses(String ns, List<ProbeTrainingStatus> seen) {
    return client.resources(ProbeTraining.class).inNamespace(ns).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, ProbeTraining training) {
        if (training.getStatus() != null) {
          seen.add(training.getStatus());
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  /** The stages of the Running statuses, in the order seen, each once. */
  static List<TrainingStage> distinctRunningStages(List<ProbeTrainingStatus> seen) {
    List<TrainingStage> distinct = new ArrayList<>();
    synchronized (seen) {
      for (ProbeTrainingStatus status : seen) {
        TrainingStage stage = status.getStage();
        if (status.getPhase() == Phase.Running && stage != null
            && (distinct.isEmpty() || distinct.get(distinct.size() - 1) != stage)) {
          distinct.add(stage);
        }
      }
    }
    return distinct;
  }

  static List<String> progressSummaries(List<ProbeTrainingStatus> seen) {
    synchronized (seen) {
      return seen.stream().filter(s -> s.getProgress() != null && s.getProgress().getSummary() != null)
          .map(s -> s.getProgress().getSummary()).distinct().toList();
    }
  }

  static String describe(WorkerKubelet kubelet) {
    StringBuilder text = new StringBuilder();
    for (WorkerKubelet.Run run : kubelet.runs()) {
      text.append("\n--- ").append(run.job()).append(run.index() == null ? "" : "[" + run.index() + "]")
          .append(" exit ").append(run.result().exitCode()).append(": ").append(run.args())
          .append('\n').append(run.result().log());
    }
    return text.toString();
  }

  static String scheduledReason(String ns, String name) {
    ProbeEvaluationStatus status = EvaluationStatuses.status(client, ns, name);
    return status == null || status.getConditions() == null ? null
        : status.getConditions().stream().filter(c -> Conditions.SCHEDULED.equals(c.getType())).map(c -> c.getReason())
            .findFirst().orElse(null);
  }

  static ProbeEvaluationStatus evaluation(String ns) {
    return EvaluationStatuses.status(client, ns, "last");
  }

  static ProbeTrainingStatus trainingStatus(String ns) {
    ProbeTraining training = client.resources(ProbeTraining.class).inNamespace(ns).withName("probes").get();
    return training.getStatus() == null ? new ProbeTrainingStatus() : training.getStatus();
  }

  static boolean finished(String ns) {
    Phase phase = trainingStatus(ns).getPhase();
    return phase == Phase.Succeeded || phase == Phase.Failed;
  }

  static String summary(String ns) {
    ProbeTrainingStatus status = trainingStatus(ns);
    return status.getProgress() == null ? null : status.getProgress().getSummary();
  }

  static Phase phase(ProbeEvaluationStatus status) {
    return status == null ? null : status.getPhase();
  }
}
