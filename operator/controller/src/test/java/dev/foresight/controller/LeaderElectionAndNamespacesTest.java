package dev.foresight.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.support.ClusterSimulator;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class LeaderElectionAndNamespacesTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  @Test
  void theLeaderHoldsTheLeaseAndReconcilesOnlyTheWatchedNamespaces() {
    TestOperators.installCrd(client);
    TestOperators.grantLeases(server);
    ClusterSimulator cluster = new ClusterSimulator(client);
    try (ForesightOperator operator = TestOperators.start(server, TestOperators.config(
        ConfigKeys.LEADER_ELECTION, "true",
        ConfigKeys.OPERATOR_NAMESPACE, "foresight-system",
        ConfigKeys.POD_NAME, "foresight-operator-0",
        ConfigKeys.WATCH_NAMESPACES, "watched"))) {
      client.resource(Fixtures.evaluation("ignored", "step-1", 1)).create();
      client.resource(Fixtures.evaluation("watched", "step-1", 1)).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> cluster.jobs("watched").size() == 1);
      Lease lease = client.leases().inNamespace("foresight-system").withName("foresight-operator").get();
      assertEquals("foresight-operator-0", lease.getSpec().getHolderIdentity());
      assertEquals(0, cluster.jobs("ignored").size());
      assertNull(client.resources(ProbeEvaluation.class).inNamespace("ignored").withName("step-1").get().getStatus().getPhase(),
          "a namespace the operator does not watch is left alone");
    }
  }
}
