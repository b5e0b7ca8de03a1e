package dev.foresight.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.controller.support.Scrape;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Readiness comes from the informers' health, liveness does not: when the API server goes away the
 * operator stops being ready (its caches no longer follow the cluster), but it stays alive, since a
 * restart would not bring the API server back and the informers reconnect by themselves.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ReadinessTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  @Test
  void readinessFollowsTheInformersAndLivenessDoesNot() {
    TestOperators.installCrd(client);
    try (ForesightOperator operator = TestOperators.start(server, TestOperators.config())) {
      int port = operator.httpPort();
      assertEquals(200, Scrape.get(port, "/readyz").statusCode(), "started, caches synced");

      server.shutdown();
      HttpResponse<String> notReady = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> Scrape.get(port, "/readyz"), r -> r.statusCode() == 503);
      assertTrue(notReady.body().startsWith("unhealthy informers"), notReady.body());
      assertEquals(200, Scrape.get(port, "/healthz").statusCode());
    }
  }
}
