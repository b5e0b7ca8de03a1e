package dev.foresight.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.controller.chart.ChartInstall;
import dev.foresight.controller.chart.RenderedChart;
import dev.foresight.controller.support.ClusterSimulator;
import dev.foresight.controller.support.Fixtures;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One replica with leader election and a list of watched namespaces, installed by the chart: a Role
 * in each watched namespace and none elsewhere, enforced by the API server. The operator must lead,
 * run an evaluation in the watched namespace with exactly those rights, and leave other namespaces
 * alone.
 */
class LeaderElectionAndNamespacesTest {

  @Test
  void theLeaderHoldsTheLeaseAndReconcilesOnlyTheWatchedNamespacesWithTheChartsRoles() {
    try (ChartInstall install = ChartInstall.install(RenderedChart.values(
        "leaderElection.enabled", true, "watchNamespaces[0]", "watched"))) {
      KubernetesClient admin = install.admin();
      ClusterSimulator cluster = new ClusterSimulator(admin);
      try (ForesightOperator operator = install.start("foresight-operator-0")) {
        admin.resource(Fixtures.evaluation("ignored", "step-1", 1)).create();
        admin.resource(Fixtures.evaluation("watched", "step-1", 1)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.jobs("watched").size() == 1);
        cluster.succeed(cluster.jobs("watched").get(0), Fixtures.terminationMessage(List.of("gsm8k"), List.of(0.4)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
          ProbeEvaluationStatus status = admin.resources(ProbeEvaluation.class).inNamespace("watched")
              .withName("step-1").get().getStatus();
          assertEquals(Phase.Succeeded, status == null ? null : status.getPhase(), () -> Serialization.asJson(status)
              + " denied: " + install.api.denied());
        });
        assertEquals("foresight-operator-0", install.leaseHolder());
        assertEquals(0, cluster.jobs("ignored").size());
        assertNull(admin.resources(ProbeEvaluation.class).inNamespace("ignored").withName("step-1").get().getStatus().getPhase(),
            "a namespace the operator does not watch is left alone");
      }
      assertEquals(List.of(), install.api.denied(), "every request is one the chart's Roles allow");
    }
  }
}
