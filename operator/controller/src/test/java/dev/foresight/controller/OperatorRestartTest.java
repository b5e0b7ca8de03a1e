package dev.foresight.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.controller.metrics.MetricNames;
import dev.foresight.controller.support.ClusterSimulator;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.Scrape;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The status is the record: an operator stopped mid-evaluation and a new one started after the
 * Job finished make exactly one Job, record the result once, announce it once and count it once.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class OperatorRestartTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String NS = "restart";
  static KubernetesMockServer server;
  static KubernetesClient client;

  @Test
  void restartMidEvaluationCreatesNoSecondJobAndRecordsTheResultOnce() {
    TestOperators.installCrd(client);
    ClusterSimulator cluster = new ClusterSimulator(client);
    client.resource(Fixtures.evaluation(NS, "step-1000", 1000, "gsm8k")).create();

    Pod pod;
    Job job;
    try (ForesightOperator first = TestOperators.start(server, TestOperators.config())) {
      job = await().atMost(WAIT).until(() -> cluster.jobs(NS), jobs -> jobs.size() == 1).get(0);
      pod = cluster.running(cluster.createPod(job));
      await().atMost(WAIT).until(() -> phase("step-1000") == Phase.Running);
    }
    // While no operator runs, the worker finishes.
    cluster.terminated(pod, 0, Fixtures.terminationMessage(List.of("gsm8k"), List.of(0.412)), null);
    cluster.complete(job);

    try (ForesightOperator second = TestOperators.start(server, TestOperators.config())) {
      await().atMost(WAIT).until(() -> phase("step-1000") == Phase.Succeeded);
      assertEquals(List.of(job.getMetadata().getName()), jobNames(cluster));
      assertEquals(0.412, evaluation("step-1000").getStatus().getResults().get(0).getPredictedPassAt1());
      await().atMost(WAIT).untilAsserted(() -> assertEquals(1, events("Succeeded")));
      assertEquals(List.of("foresight_evaluations_total{namespace=\"restart\",result=\"Succeeded\"} 1.0"),
          Scrape.samples(second.httpPort(), MetricNames.EVALUATIONS_TOTAL));
    }

    String recorded = evaluation("step-1000").getMetadata().getResourceVersion();
    try (ForesightOperator third = TestOperators.start(server, TestOperators.config())) {
      // The gauge comes back from status once the third operator has reconciled the resource ...
      await().atMost(WAIT).untilAsserted(() -> assertEquals(
          List.of("foresight_predicted_pass_at_1{namespace=\"restart\",run=\"olmo3-7b\",task=\"gsm8k\"} 0.412"),
          Scrape.samples(third.httpPort(), MetricNames.PREDICTED_PASS_AT_1)));
      // ... which it neither counts again, nor rewrites, nor announces, nor runs again.
      assertEquals(List.of(), Scrape.samples(third.httpPort(), MetricNames.EVALUATIONS_TOTAL));
      assertEquals(recorded, evaluation("step-1000").getMetadata().getResourceVersion());
      assertEquals(1, events("Succeeded"));
      assertEquals(List.of(job.getMetadata().getName()), jobNames(cluster));
    }
    assertTrue(events("JobCreated") == 1, "one Job, announced once");
  }

  static List<String> jobNames(ClusterSimulator cluster) {
    return cluster.jobs(NS).stream().map(j -> j.getMetadata().getName()).toList();
  }

  static ProbeEvaluation evaluation(String name) {
    return client.resources(ProbeEvaluation.class).inNamespace(NS).withName(name).get();
  }

  static Phase phase(String name) {
    ProbeEvaluation e = evaluation(name);
    return e.getStatus() == null ? null : e.getStatus().getPhase();
  }

  static long events(String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).count();
  }
}
