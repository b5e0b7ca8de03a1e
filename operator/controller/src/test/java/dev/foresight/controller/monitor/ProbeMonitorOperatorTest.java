package dev.foresight.controller.monitor;

import static dev.foresight.controller.support.Monitors.step;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeMonitorStatus;
import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.controller.ForesightOperator;
import dev.foresight.controller.job.WorkerLabels;
import dev.foresight.controller.metrics.MetricNames;
import dev.foresight.controller.status.Conditions;
import dev.foresight.controller.support.ClusterSimulator;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.Monitors;
import dev.foresight.controller.support.Scrape;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ProbeMonitor controller in the real operator against the mock API server. The test plays the
 * cluster: scan pods list a local folder of checkpoint folders ({@link Monitors}), worker pods
 * report or fail. Each test has its own namespace and folder.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ProbeMonitorOperatorTest {
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

  /** The evaluations' steps in the order the API server made them. */
  static final class Created implements ResourceEventHandler<ProbeEvaluation> {
    final List<Long> steps = new CopyOnWriteArrayList<>();

    @Override
    public void onAdd(ProbeEvaluation e) {
      steps.add(step(e));
    }

    @Override
    public void onUpdate(ProbeEvaluation before, ProbeEvaluation after) {}

    @Override
    public void onDelete(ProbeEvaluation e, boolean unknownFinalState) {}
  }

  @Test
  void checkpointsAppearingOverTimeGetExactlyOneEvaluationEachNewestFirst(@TempDir Path root) {
    String ns = "over-time";
    Created created = new Created();
    SharedIndexInformer<ProbeEvaluation> informer = client.resources(ProbeEvaluation.class).inNamespace(ns).inform(created);
    try (Monitors cluster = new Monitors(client, ns, root)) {
      for (long step : new long[] {100, 200, 300}) {
        cluster.checkpoint("step-" + step, true);
      }
      client.resource(Monitors.monitor(ns, "run")).create();
      await().atMost(WAIT).until(() -> cluster.evaluations().stream().filter(Monitors::succeeded).count() == 3);
      assertEquals(List.of(300L, 200L, 100L), created.steps, "the newest first, then backfill");

      cluster.checkpoint("step-400", true);
      await().atMost(WAIT).until(() -> cluster.evaluations().stream().filter(Monitors::succeeded).count() == 4);
      ProbeEvaluation newest = client.resources(ProbeEvaluation.class).inNamespace(ns).withName("run-400").get();
      assertEquals("pvc://checkpoints/olmo3-7b/step-400", newest.getSpec().getCheckpoint().getUri());
      assertEquals(Fixtures.RUN, newest.getSpec().getCheckpoint().getRun());
      assertEquals("run", newest.getMetadata().getLabels().get(WorkerLabels.MONITOR));
      assertTrue(newest.getMetadata().getOwnerReferences().get(0).getController());

      ProbeMonitorStatus status = await().atMost(WAIT).until(() -> cluster.get("run").getStatus(),
          s -> s.getCounts() != null && s.getCounts().getSucceeded() == 4);
      assertEquals(400L, status.getLastSeenStep());
      assertEquals(400L, status.getLastEvaluatedStep());
      assertEquals(List.of(100L, 200L, 300L, 400L), status.getTrend().stream().map(p -> p.getStep()).toList());
      assertEquals(0.5, status.getLatestMeanPassAt1(), 1e-9);
      assertEquals(Conditions.TRUE, condition(status, Conditions.READY).getStatus());
      assertEquals(List.of(300L, 200L, 100L, 400L), created.steps, "one evaluation per checkpoint, however many scans ran");
      assertTrue(cluster.scanJobs().size() >= 2, "the prefix is scanned again and again");
    } finally {
      informer.close();
    }
  }

  @Test
  void pushedEvaluationsAreAdoptedAndNeverDoubled(@TempDir Path root) {
    String ns = "push";
    try (Monitors cluster = new Monitors(client, ns, root)) {
      ProbeMonitor monitor = client.resource(Monitors.monitor(ns, "run")).create();
      ProbeEvaluation pushed = Fixtures.evaluation(ns, "trainer-callback-200", 200, "gsm8k");
      pushed.getMetadata().setLabels(Map.of(WorkerLabels.MONITOR, "run"));
      client.resource(pushed).create();
      for (long step : new long[] {100, 200, 300}) {
        cluster.checkpoint("step-" + step, true);
      }
      await().atMost(WAIT).until(() -> cluster.evaluations().stream().filter(Monitors::succeeded).count() == 3);
      List<ProbeEvaluation> all = cluster.evaluations();
      assertEquals(List.of(100L, 200L, 300L), all.stream().map(Monitors::step).sorted().toList());
      ProbeEvaluation adopted = await().atMost(WAIT).until(
          () -> client.resources(ProbeEvaluation.class).inNamespace(ns).withName("trainer-callback-200").get(),
          e -> e.getMetadata().getOwnerReferences().stream().anyMatch(o -> o.getUid().equals(monitor.getMetadata().getUid())));
      assertEquals("ProbeMonitor", adopted.getMetadata().getOwnerReferences().get(0).getKind());
      assertEquals(3, await().atMost(WAIT).until(() -> cluster.get("run").getStatus().getCounts().getSucceeded(),
          n -> n == 3), "the pushed evaluation counts as the monitor's");
    }
  }

  @Test
  void historyLimitPrunesOnlyWhatTheTrendHolds(@TempDir Path root) {
    String ns = "history";
    try (Monitors cluster = new Monitors(client, ns, root)) {
      LongStream.rangeClosed(1, 5).forEach(s -> cluster.checkpoint("step-" + s * 10, true));
      ProbeMonitor monitor = Monitors.monitor(ns, "run");
      monitor.getSpec().setHistoryLimit(2);
      client.resource(monitor).create();
      ProbeMonitorStatus status = await().atMost(WAIT).until(() -> cluster.get("run").getStatus(),
          s -> s.getCounts() != null && s.getCounts().getSucceeded() == 5);
      await().atMost(WAIT).until(() -> cluster.evaluations().size() == 2);
      assertEquals(List.of(40L, 50L), cluster.evaluations().stream().map(Monitors::step).sorted().toList(),
          "the oldest finished ones go");
      assertEquals(List.of(10L, 20L, 30L, 40L, 50L), status.getTrend().stream().map(p -> p.getStep()).toList());
      assertTrue(status.getTrend().stream().allMatch(p -> p.getPhase() == Phase.Succeeded
          && p.getResults().get(0).getPredictedPassAt1() == 0.5 && p.getResults().get(0).getCi95().size() == 2));
      // Pruned checkpoints are not evaluated again by later scans.
      int scans = cluster.scanJobs().size();
      await().atMost(WAIT).until(() -> cluster.scanJobs().size() >= scans + 2);
      assertEquals(2, cluster.evaluations().size());
    }
  }

  @Test
  void suspendedMonitorScansNothingAndResumesWhereItStopped(@TempDir Path root) {
    String ns = "suspend";
    try (Monitors cluster = new Monitors(client, ns, root)) {
      cluster.checkpoint("step-100", true);
      ProbeMonitor monitor = Monitors.monitor(ns, "run");
      monitor.getSpec().setSuspend(true);
      client.resource(monitor).create();
      ProbeMonitorStatus status = await().atMost(WAIT).until(() -> cluster.get("run").getStatus(),
          s -> s != null && !s.getConditions().isEmpty());
      assertEquals("Suspended", condition(status, Conditions.READY).getReason());
      await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> cluster.scanJobs().isEmpty() && cluster.evaluations().isEmpty());

      client.resources(ProbeMonitor.class).inNamespace(ns).withName("run").edit(m -> {
        m.getSpec().setSuspend(false);
        return m;
      });
      await().atMost(WAIT).until(() -> cluster.evaluations().stream().filter(Monitors::succeeded).count() == 1);
    }
  }

  @Test
  void notReadyCheckpointIsListedWithWhyAndNeverEvaluated(@TempDir Path root) {
    String ns = "not-ready";
    try (Monitors cluster = new Monitors(client, ns, root)) {
      cluster.checkpoint("step-100", true);
      cluster.checkpoint("step-200", false);
      client.resource(Monitors.monitor(ns, "run")).create();
      ProbeMonitorStatus status = await().atMost(WAIT).until(() -> cluster.get("run").getStatus(),
          s -> s != null && s.getNotReady() != null && !s.getNotReady().isEmpty());
      assertEquals("step-200", status.getNotReady().get(0).getPath());
      assertTrue(status.getNotReady().get(0).getWhy().contains(Monitors.MARKER), status.getNotReady().get(0).getWhy());
      await().atMost(WAIT).until(() -> cluster.evaluations().stream().filter(Monitors::succeeded).count() == 1);
      assertEquals(List.of(100L), cluster.evaluations().stream().map(Monitors::step).toList());
    }
  }

  @Test
  void corruptCheckpointFailsItsOwnEvaluationAndTheMonitorGoesOn(@TempDir Path root) {
    String ns = "corrupt";
    try (Monitors cluster = new Monitors(client, ns, root)) {
      cluster.corrupt.add(200L);
      cluster.checkpoint("step-100", true);
      cluster.checkpoint("step-200", true);
      client.resource(Monitors.monitor(ns, "run")).create();
      await().atMost(WAIT).until(() -> cluster.evaluations().stream().filter(Monitors::finished).count() == 2);
      ProbeEvaluation failed = client.resources(ProbeEvaluation.class).inNamespace(ns).withName("run-200").get();
      assertEquals(Phase.Failed, failed.getStatus().getPhase());
      assertEquals(Reason.CheckpointNotFound.name(), condition(failed.getStatus().getConditions(), Conditions.FAILED).getReason());

      cluster.checkpoint("step-300", true);
      ProbeMonitorStatus status = await().atMost(WAIT).until(() -> cluster.get("run").getStatus(),
          s -> s.getCounts().getSucceeded() == 2 && s.getCounts().getFailed() == 1);
      assertEquals(Conditions.TRUE, condition(status, Conditions.READY).getStatus());
      assertEquals(Phase.Failed, status.getTrend().stream().filter(p -> p.getStep() == 200).findFirst().orElseThrow().getPhase());
    }
  }

  @Test
  void failingScanSetsScanFailedAndRetriesLosingNothing(@TempDir Path base) {
    String ns = "scan-fails";
    Path root = base.resolve("not-yet");
    try (Monitors cluster = new Monitors(client, ns, root)) {
      client.resource(Monitors.monitor(ns, "run")).create();
      ProbeMonitorStatus status = await().atMost(WAIT).until(() -> cluster.get("run").getStatus(),
          s -> s != null && Conditions.isTrue(s.getConditions(), Conditions.SCAN_FAILED));
      assertTrue(condition(status, Conditions.SCAN_FAILED).getMessage().contains("does not exist"),
          "the scan's own message: " + condition(status, Conditions.SCAN_FAILED).getMessage());
      assertEquals("ScanFailed", condition(status, Conditions.READY).getReason());

      cluster.checkpoint("step-100", true); // the storage is back
      await().atMost(WAIT).until(() -> cluster.evaluations().stream().filter(Monitors::succeeded).count() == 1);
      ProbeMonitorStatus after = await().atMost(WAIT).until(() -> cluster.get("run").getStatus(),
          s -> !Conditions.isTrue(s.getConditions(), Conditions.SCAN_FAILED));
      assertEquals(100L, after.getLastSeenStep());
      List<String> failures = Scrape.samples(operator.httpPort(), MetricNames.MONITOR_SCAN_FAILURES_TOTAL);
      assertTrue(failures.stream().anyMatch(l -> l.contains("namespace=\"" + ns + "\"") && l.contains("monitor=\"run\"")
          && l.contains("run=\"" + Fixtures.RUN + "\"")), String.valueOf(failures));
    }
  }

  @Test
  void twoFoldersWithTheSameStepAreAScanFailureNamingBoth(@TempDir Path root) {
    String ns = "same-step";
    try (Monitors cluster = new Monitors(client, ns, root)) {
      cluster.checkpoint("step-100", true);
      cluster.checkpoint("checkpoint-100", true);
      client.resource(Monitors.monitor(ns, "run")).create();
      ProbeMonitorStatus status = await().atMost(WAIT).until(() -> cluster.get("run").getStatus(),
          s -> s != null && Conditions.isTrue(s.getConditions(), Conditions.SCAN_FAILED));
      String message = condition(status, Conditions.SCAN_FAILED).getMessage();
      assertTrue(message.contains("step-100") && message.contains("checkpoint-100"), message);
      assertTrue(cluster.evaluations().isEmpty());
    }
  }

  @Test
  void malformedOrOversizeScanReportIsRefused() {
    String ns = "bad-report";
    ClusterSimulator cluster = new ClusterSimulator(client);
    client.resource(Monitors.monitor(ns, "run")).create();
    Job first = await().atMost(WAIT).until(() -> cluster.jobs(ns), jobs -> jobs.size() == 1).get(0);
    cluster.finish(first, 0, "{\"v\":1,\"newest\":\"300\",\"readyTotal\":1,\"more\":false,\"ready\":[],\"notReady\":[]}");
    ProbeMonitorStatus status = await().atMost(WAIT).until(() -> client.resources(ProbeMonitor.class).inNamespace(ns)
        .withName("run").get().getStatus(), s -> s != null && Conditions.isTrue(s.getConditions(), Conditions.SCAN_FAILED));
    assertTrue(condition(status, Conditions.SCAN_FAILED).getMessage().startsWith("the scan's report was refused"),
        condition(status, Conditions.SCAN_FAILED).getMessage());

    Job second = await().atMost(WAIT).until(() -> cluster.jobs(ns), jobs -> jobs.size() == 2).stream()
        .filter(j -> !j.getMetadata().getName().equals(first.getMetadata().getName())).findFirst().orElseThrow();
    cluster.finish(second, 0, "{\"v\":1,\"ready\":[" + "{\"step\":1,\"path\":\"x\"},".repeat(400) + "]}");
    await().atMost(WAIT).until(() -> client.resources(ProbeMonitor.class).inNamespace(ns).withName("run").get().getStatus(),
        s -> condition(s, Conditions.SCAN_FAILED).getMessage().contains("4096"));
    assertTrue(client.resources(ProbeEvaluation.class).inNamespace(ns).list().getItems().isEmpty());
  }

  @Test
  void deletedMonitorStopsCleanlyAndItsSeriesGo(@TempDir Path root) {
    String ns = "deleted";
    try (Monitors cluster = new Monitors(client, ns, root)) {
      cluster.checkpoint("step-100", true);
      client.resource(Monitors.monitor(ns, "gone")).create();
      await().atMost(WAIT).until(() -> cluster.evaluations().stream().filter(Monitors::succeeded).count() == 1);
      await().atMost(WAIT).until(() -> series(MetricNames.MONITOR_LAST_SEEN_STEP, ns).isPresent());
      assertTrue(series(MetricNames.MONITOR_LAST_SEEN_STEP, ns).orElseThrow().endsWith(" 100.0"));

      client.resources(ProbeMonitor.class).inNamespace(ns).withName("gone").delete();
      await().atMost(WAIT).until(() -> series(MetricNames.MONITOR_LAST_SEEN_STEP, ns).isEmpty());
      int scans = cluster.scanJobs().size();
      cluster.checkpoint("step-200", true);
      // Nothing follows a deleted monitor: no scan, no evaluation (the mock collects no garbage).
      await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> cluster.scanJobs().size() == scans
          && cluster.evaluations().size() == 1);
    }
  }

  @Test
  void invalidSpecIsNotReadyNamingTheFieldAndNothingIsScanned() {
    String ns = "invalid";
    ProbeMonitor monitor = Monitors.monitor(ns, "run");
    monitor.getSpec().getCheckpoints().setStepPattern("step-[0-9]+");
    monitor.getSpec().getCheckpoints().setUri("s3://ckpts/run");
    client.resource(monitor).create();
    ProbeMonitorStatus status = await().atMost(WAIT).until(() -> client.resources(ProbeMonitor.class).inNamespace(ns)
        .withName("run").get().getStatus(), s -> s != null && !s.getConditions().isEmpty());
    Condition ready = condition(status, Conditions.READY);
    assertEquals(Reason.InvalidSpec.name(), ready.getReason());
    assertTrue(ready.getMessage().contains("spec.checkpoints.stepPattern"), ready.getMessage());
    assertTrue(ready.getMessage().contains("spec.checkpoints.credentialsSecret"), ready.getMessage());
    assertTrue(new ClusterSimulator(client).jobs(ns).isEmpty());
  }

  @Test
  void metricsCarryOnlyNamespaceMonitorAndRun(@TempDir Path root) {
    String ns = "metrics";
    try (Monitors cluster = new Monitors(client, ns, root)) {
      cluster.corrupt.add(100L);
      cluster.checkpoint("step-100", true);
      cluster.checkpoint("step-200", true);
      client.resource(Monitors.monitor(ns, "run")).create();
      await().atMost(WAIT).until(() -> series(MetricNames.MONITOR_EVALUATIONS_TOTAL, ns).isPresent()
          && Scrape.samples(operator.httpPort(), MetricNames.MONITOR_EVALUATIONS_TOTAL).stream()
              .filter(l -> l.contains("namespace=\"" + ns + "\"")).count() == 2);
      for (String name : List.of(MetricNames.MONITOR_LAST_SEEN_STEP, MetricNames.MONITOR_LAST_EVALUATED_STEP,
          MetricNames.MONITOR_PENDING_CHECKPOINTS, MetricNames.MONITOR_STALLED)) {
        String sample = await().atMost(WAIT).until(() -> series(name, ns), Optional::isPresent).orElseThrow();
        assertEquals("{monitor=\"run\",namespace=\"" + ns + "\",run=\"" + Fixtures.RUN + "\"}",
            sample.substring(sample.indexOf('{'), sample.indexOf('}') + 1), sample);
      }
      List<String> outcomes = Scrape.samples(operator.httpPort(), MetricNames.MONITOR_EVALUATIONS_TOTAL).stream()
          .filter(l -> l.contains("namespace=\"" + ns + "\"")).toList();
      assertTrue(outcomes.stream().anyMatch(l -> l.contains("result=\"succeeded\"") && l.endsWith(" 1.0")), outcomes.toString());
      assertTrue(outcomes.stream().anyMatch(l -> l.contains("result=\"failed\"") && l.endsWith(" 1.0")), outcomes.toString());
      assertFalse(outcomes.stream().anyMatch(l -> l.contains("run-100") || l.contains("run-200")), "no per-evaluation label");
    }
  }

  @Test
  void noNewCheckpointWithinStalledAfterSecondsIsStalledUntilOneComes(@TempDir Path root) {
    String ns = "stalled";
    try (Monitors cluster = new Monitors(client, ns, root)) {
      cluster.checkpoint("step-100", true);
      ProbeMonitor monitor = Monitors.monitor(ns, "run");
      monitor.getSpec().setStalledAfterSeconds(2); // the schema's minimum is 60; the mock checks none
      client.resource(monitor).create();
      ProbeMonitorStatus stalled = await().atMost(WAIT).until(() -> cluster.get("run").getStatus(),
          s -> s != null && Conditions.isTrue(s.getConditions(), Conditions.STALLED));
      assertTrue(condition(stalled, Conditions.STALLED).getMessage().contains("spec.stalledAfterSeconds=2"));
      await().atMost(WAIT).until(() -> series(MetricNames.MONITOR_STALLED, ns).filter(l -> l.endsWith(" 1.0")).isPresent());

      cluster.checkpoint("step-200", true);
      await().atMost(WAIT).until(() -> !Conditions.isTrue(cluster.get("run").getStatus().getConditions(), Conditions.STALLED));
    }
  }

  static Optional<String> series(String name, String namespace) {
    return Scrape.samples(operator.httpPort(), name).stream().filter(l -> l.contains("namespace=\"" + namespace + "\""))
        .findFirst();
  }

  static Condition condition(ProbeMonitorStatus status, String type) {
    return condition(status.getConditions(), type);
  }

  static Condition condition(List<Condition> conditions, String type) {
    return Conditions.find(conditions, type).orElseThrow(() -> new AssertionError("no " + type + " in " + conditions));
  }
}
