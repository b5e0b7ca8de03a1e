package dev.foresight.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.config.OperatorConfig;
import dev.foresight.controller.metrics.MetricNames;
import dev.foresight.controller.support.ClusterSimulator;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.Scrape;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two replicas with leader election, as the chart runs them when replicaCount > 1. The replica
 * waiting on the Lease must be ready: the chart's rolling update (maxUnavailable 0) stops the old
 * pod only once the new one is ready, and the new one cannot lead while the old one holds the
 * Lease, so a standby that waited for leadership to become ready would stall every rollout. Yet it
 * must not reconcile, and it must take over once the leader stops.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class StandbyReplicaTest {
  static final String LEASE_NAMESPACE = "foresight-system";
  static final String NS = "pretrain";
  /** JOSDK's Lease lasts 15 s: the standby takes over at the latest when the stopped leader's Lease expires. */
  static final Duration TAKEOVER = Duration.ofSeconds(45);

  static KubernetesMockServer server;
  static KubernetesClient client;

  @Test
  void standbyIsReadyButIdleAndTakesOverWhenTheLeaderStops() {
    TestOperators.installCrd(client);
    TestOperators.grantLeases(server);
    ClusterSimulator cluster = new ClusterSimulator(client);
    ForesightOperator leader = TestOperators.start(server, replica("foresight-a"));
    await().atMost(TAKEOVER).until(() -> "foresight-a".equals(holder()));
    try (ForesightOperator standby = TestOperators.start(server, replica("foresight-b"))) {
      try {
        client.resource(Fixtures.evaluation(NS, "step-1000", 1000)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.jobs(NS).size() == 1);

        assertEquals(200, Scrape.get(standby.httpPort(), "/readyz").statusCode(), "a standby is ready");
        assertEquals(200, Scrape.get(standby.httpPort(), "/healthz").statusCode());
        assertEquals(List.of(), Scrape.samples(standby.httpPort(), MetricNames.RECONCILIATIONS_TOTAL),
            "the standby reconciled nothing");
        assertTrue(!Scrape.samples(leader.httpPort(), MetricNames.RECONCILIATIONS_TOTAL).isEmpty());
        assertEquals("foresight-a", holder());
      } finally {
        leader.close();
      }

      await().atMost(TAKEOVER).until(() -> "foresight-b".equals(holder()));
      client.resource(Fixtures.evaluation(NS, "step-2000", 2000)).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> cluster.jobs(NS).size() == 2);
      assertTrue(!Scrape.samples(standby.httpPort(), MetricNames.RECONCILIATIONS_TOTAL).isEmpty(),
          "the new leader reconciles");
      assertEquals(200, Scrape.get(standby.httpPort(), "/readyz").statusCode());
    }
  }

  static OperatorConfig replica(String podName) {
    return TestOperators.config(ConfigKeys.LEADER_ELECTION, "true", ConfigKeys.OPERATOR_NAMESPACE, LEASE_NAMESPACE,
        ConfigKeys.POD_NAME, podName);
  }

  static String holder() {
    Lease lease = client.leases().inNamespace(LEASE_NAMESPACE).withName(OperatorConfig.DEFAULT_LEASE_NAME).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
