package dev.foresight.controller.training;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeTrainingStatus;
import dev.foresight.controller.ForesightOperator;
import dev.foresight.controller.chart.ChartInstall;
import dev.foresight.controller.support.ClusterSimulator;
import dev.foresight.controller.support.Trainings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A training run by an operator that runs as the chart's service account, the chart's RBAC
 * enforced: plan ConfigMap, every stage's Job, status and events, without one request the chart
 * does not grant.
 */
class TrainingUnderChartRbacTest {
  static final Duration WAIT = Duration.ofSeconds(40);

  @Test
  void aTrainingRunsToItsBundleWithTheChartsRulesAndNoMore() {
    try (ChartInstall install = ChartInstall.install(Map.of())) {
      KubernetesClient admin = install.admin();
      String ns = "team"; // a user's namespace, as the ClusterRole covers
      ClusterSimulator cluster = new ClusterSimulator(admin);
      Trainings trainings = new Trainings(admin, ns);
      try (ForesightOperator operator = install.start("foresight-operator-0")) {
        admin.resource(Trainings.training(ns, "demo", 2, 2)).create();
        trainings.finishFromLabelling(cluster, "demo", trainings.checked(cluster, "demo", 2, 10), 4);
        ProbeTrainingStatus done = await().atMost(WAIT).until(() -> trainings.get("demo").getStatus(),
            s -> s != null && s.getPhase() == Phase.Succeeded);
        assertEquals("mlp", done.getChosenFamily());
        assertTrue(admin.v1().events().inNamespace(ns).list().getItems().stream()
            .anyMatch(e -> "ProbeTraining".equals(e.getInvolvedObject().getKind())), "events on the training");
      }
      assertEquals(List.of(), install.api.denied(), "every request is one the chart's rules allow");
    }
  }
}
