package dev.foresight.controller.monitor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeMonitorStatus;
import dev.foresight.api.v1alpha1.ProbeSource;
import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.controller.status.Conditions;
import dev.foresight.controller.support.EvaluationOperator;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.Monitors;
import dev.foresight.controller.support.TestOperators;
import dev.foresight.controller.support.TrainingStatuses;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ProbeMonitor whose probe names a ProbeTraining: it follows its run as ever, its evaluations
 * carry the reference and wait for the training, and the monitor shows where the training stands.
 * The test writes the training's status as its controller would.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class MonitorTrainingRefTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String BUNDLE = "pvc://probes/" + Fixtures.RUN + "/trained";
  static KubernetesMockServer server;
  static KubernetesClient client;
  static EvaluationOperator operator;
  static TrainingStatuses trainings;

  @BeforeAll
  static void start() {
    TestOperators.installCrd(client);
    // Without the ProbeTraining controller: the test writes the trainings' status itself.
    operator = EvaluationOperator.start(server.createClient(), TestOperators.config());
    trainings = new TrainingStatuses(client);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void evaluationsCarryTheReferenceAndWaitWhileTheMonitorShowsTheTraining(@TempDir Path root) {
    String ns = "monitor-training";
    trainings.create(ns, "probes", BUNDLE, null);
    trainings.labelling(ns, "probes", 5, 8);
    try (Monitors cluster = new Monitors(client, ns, root)) {
      cluster.checkpoint("step-100", true);
      cluster.checkpoint("step-200", true);
      client.resource(monitor(ns, "run", "probes")).create();

      List<ProbeEvaluation> waiting = await().atMost(WAIT).until(cluster::evaluations, es -> es.size() == 2
          && es.stream().allMatch(e -> e.getStatus() != null && e.getStatus().getPhase() == Phase.Pending));
      for (ProbeEvaluation e : waiting) {
        assertEquals("probes", e.getSpec().getProbe().getTrainingRef());
        assertNull(e.getSpec().getProbe().getUri());
        assertEquals("waiting for ProbeTraining probes (Labelling, 5/8 shards)", e.getStatus().getMessage());
      }
      ProbeMonitorStatus status = await().atMost(WAIT).until(() -> cluster.get("run").getStatus(),
          s -> s != null && Conditions.find(s.getConditions(), Conditions.PROBE_READY).isPresent());
      Condition probeReady = condition(status, Conditions.PROBE_READY);
      assertEquals(List.of("False", "WaitingForTraining", "waiting for ProbeTraining probes (Labelling, 5/8 shards)"),
          List.of(probeReady.getStatus(), probeReady.getReason(), probeReady.getMessage()));
      assertTrue(status.getMessage().startsWith("waiting for ProbeTraining probes (Labelling, 5/8 shards); "),
          status.getMessage());

      trainings.succeeded(ns, "probes");
      await().atMost(WAIT).until(() -> cluster.evaluations().stream().filter(Monitors::succeeded).count() == 2);
      ProbeMonitorStatus following = await().atMost(WAIT).until(() -> cluster.get("run").getStatus(),
          s -> Conditions.isTrue(s.getConditions(), Conditions.PROBE_READY));
      assertEquals("ProbeTraining probes succeeded: bundle " + BUNDLE,
          condition(following, Conditions.PROBE_READY).getMessage());
      assertEquals(BUNDLE, cluster.evaluations().get(0).getStatus().getProbeUri());
    }
  }

  @Test
  void aFailedTrainingShowsOnTheMonitorAndFailsItsEvaluations(@TempDir Path root) {
    String ns = "monitor-training-failed";
    trainings.create(ns, "probes", BUNDLE, null);
    String says = "checkpoints of different architectures: step 100 is LlamaForCausalLM, step 200 Qwen2ForCausalLM";
    trainings.failed(ns, "probes", says);
    try (Monitors cluster = new Monitors(client, ns, root)) {
      cluster.checkpoint("step-300", true);
      client.resource(monitor(ns, "run", "probes")).create();

      ProbeMonitorStatus status = await().atMost(WAIT).until(() -> cluster.get("run").getStatus(),
          s -> s != null && Conditions.find(s.getConditions(), Conditions.PROBE_READY).isPresent());
      Condition probeReady = condition(status, Conditions.PROBE_READY);
      assertEquals(List.of("False", Reason.TrainingFailed.name(), "ProbeTraining probes failed: " + says),
          List.of(probeReady.getStatus(), probeReady.getReason(), probeReady.getMessage()));
      ProbeEvaluation failed = await().atMost(WAIT).until(() -> cluster.evaluations(), es -> es.size() == 1
          && Monitors.finished(es.get(0))).get(0);
      assertEquals(Reason.TrainingFailed.name(), Conditions.find(failed.getStatus().getConditions(), Conditions.FAILED)
          .orElseThrow().getReason());
      await().atMost(WAIT).until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
          .anyMatch(e -> "run".equals(e.getInvolvedObject().getName()) && Reason.TrainingFailed.name().equals(e.getReason())));
    }
  }

  static ProbeMonitor monitor(String ns, String name, String training) {
    ProbeMonitor monitor = Monitors.monitor(ns, name);
    monitor.getSpec().setProbe(ProbeSource.training(training));
    return monitor;
  }

  static Condition condition(ProbeMonitorStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow(() -> new AssertionError("no " + type + " condition"));
  }
}
