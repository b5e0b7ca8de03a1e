package dev.foresight.controller.monitor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeMonitorStatus;
import dev.foresight.controller.ForesightOperator;
import dev.foresight.controller.chart.ChartInstall;
import dev.foresight.controller.job.WorkerLabels;
import dev.foresight.controller.status.Conditions;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.Monitors;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor followed by an operator that runs as the chart's service account, the chart's RBAC
 * enforced: scan Jobs, evaluations made, a pushed one adopted, results recorded, history pruned,
 * status and events written, without one request the chart does not grant.
 */
class MonitorUnderChartRbacTest {

  @Test
  void theMonitorDoesEverythingWithTheChartsRulesAndNoMore(@TempDir Path root) {
    try (ChartInstall install = ChartInstall.install(Map.of())) {
      KubernetesClient admin = install.admin();
      String ns = "team"; // not the chart's namespace: a user's, as the ClusterRole covers
      try (ForesightOperator operator = install.start("foresight-operator-0");
          Monitors cluster = new Monitors(admin, ns, root)) {
        cluster.checkpoint("step-100", true);
        cluster.checkpoint("step-200", true);
        ProbeEvaluation pushed = Fixtures.evaluation(ns, "pushed-300", 300, "gsm8k");
        pushed.getMetadata().setLabels(Map.of(WorkerLabels.MONITOR, "run"));
        admin.resource(pushed).create();
        ProbeMonitor monitor = Monitors.monitor(ns, "run");
        monitor.getSpec().setHistoryLimit(1);
        admin.resource(monitor).create();
        ProbeMonitorStatus status = await().atMost(Duration.ofSeconds(40)).until(() -> cluster.get("run").getStatus(),
            s -> s != null && s.getCounts() != null && s.getCounts().getSucceeded() == 3);
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.evaluations().size() == 1);
        assertTrue(Conditions.isTrue(status.getConditions(), Conditions.READY), () -> status.getConditions().toString());
        assertEquals(List.of(100L, 200L, 300L), status.getTrend().stream().map(p -> p.getStep()).toList());
        assertTrue(admin.v1().events().inNamespace(ns).list().getItems().stream()
            .anyMatch(e -> "ProbeMonitor".equals(e.getInvolvedObject().getKind())), "events on the monitor");
      }
      assertEquals(List.of(), install.api.denied(), "every request is one the chart's rules allow");
    }
  }
}
