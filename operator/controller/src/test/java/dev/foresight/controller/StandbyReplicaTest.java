package dev.foresight.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.controller.chart.ChartInstall;
import dev.foresight.controller.chart.RenderedChart;
import dev.foresight.controller.config.OperatorConfig;
import dev.foresight.controller.metrics.MetricNames;
import dev.foresight.controller.rbac.PermissionCheck;
import dev.foresight.controller.support.ClusterSimulator;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.Scrape;
import dev.foresight.controller.support.rbac.ResourceRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas as the chart runs them with {@code replicaCount: 2}: configured by the chart's own
 * environment and held to the chart's own RBAC by an API server that refuses what it does not grant.
 * The leader must keep its Lease through renewals (a missing {@code patch} lost it after 10 s on a
 * real cluster), the replica waiting on the Lease must be ready (the rolling update, maxUnavailable
 * 0, stops the old pod only once the new one is ready) but idle, and a leader that stops must hand
 * the Lease over instead of leaving the standby to wait it out.
 */
class StandbyReplicaTest {
  static final String NS = "pretrain";
  /** Lease renewals come every 2 s (JOSDK's retry period); a few of them fit well within this. */
  static final Duration RENEWALS = Duration.ofSeconds(30);
  static final Duration TAKEOVER = Duration.ofSeconds(45);

  static ChartInstall install;
  static KubernetesClient admin;

  @BeforeAll
  static void installAsTheChartDoes() {
    install = ChartInstall.install(RenderedChart.values("replicaCount", 2));
    admin = install.admin();
  }

  @AfterAll
  static void stop() {
    install.close();
  }

  @Test
  void theChartsRbacGrantsEveryPermissionTheOperatorChecksAtStartUp() {
    OperatorConfig config = install.config("foresight-x");
    assertTrue(config.leaderElection(), "the chart turns leader election on for two replicas");
    try (KubernetesClient operatorClient = install.api.serviceAccountClient()) {
      assertEquals(List.of(), PermissionCheck.missing(operatorClient, config, RenderedChart.NAMESPACE));
    }
  }

  @Test
  void theLeaderKeepsItsLeaseTheStandbyIsIdleAndTakesOverWhenTheLeaderStops() {
    ClusterSimulator cluster = new ClusterSimulator(admin);
    ForesightOperator leader = install.start("foresight-a");
    await().atMost(TAKEOVER).until(() -> "foresight-a".equals(install.leaseHolder()));
    Set<ZonedDateTime> renewals = new HashSet<>();
    await().atMost(RENEWALS).until(() -> {
      renewals.add(install.lease().getSpec().getRenewTime());
      return renewals.size() >= 3;
    });
    assertEquals("foresight-a", install.leaseHolder(), "the leader keeps its Lease through renewals");

    try (ForesightOperator standby = install.start("foresight-b")) {
      try {
        admin.resource(Fixtures.evaluation(NS, "step-1000", 1000)).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.jobs(NS).size() == 1);

        assertEquals(200, Scrape.get(standby.httpPort(), "/readyz").statusCode(), "a standby is ready");
        assertEquals(200, Scrape.get(standby.httpPort(), "/healthz").statusCode());
        assertEquals(List.of(), Scrape.samples(standby.httpPort(), MetricNames.RECONCILIATIONS_TOTAL),
            "the standby reconciled nothing");
        assertTrue(!Scrape.samples(leader.httpPort(), MetricNames.RECONCILIATIONS_TOTAL).isEmpty());
        assertEquals("foresight-a", install.leaseHolder());
      } finally {
        leader.close();
      }
      // close() returns after giving the Lease up: the standby need not wait out its 15 s.
      assertNotEquals("foresight-a", install.leaseHolder(), "a leader that stops releases its Lease");

      await().atMost(TAKEOVER).until(() -> "foresight-b".equals(install.leaseHolder()));
      admin.resource(Fixtures.evaluation(NS, "step-2000", 2000)).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> cluster.jobs(NS).size() == 2);
      assertTrue(!Scrape.samples(standby.httpPort(), MetricNames.RECONCILIATIONS_TOTAL).isEmpty(),
          "the new leader reconciles");
      assertEquals(200, Scrape.get(standby.httpPort(), "/readyz").statusCode());
    }

    assertEquals(List.of(), install.api.denied(), "every request of both replicas is one the chart's RBAC allows");
    List<String> leaseVerbs = install.api.requests().stream().filter(r -> r.resource().equals("leases"))
        .map(ResourceRequest::verb).distinct().sorted().toList();
    assertTrue(leaseVerbs.containsAll(List.of("create", "get", "patch")),
        "the Lease was created, read, renewed and released through the authorizer: " + leaseVerbs);
  }
}
