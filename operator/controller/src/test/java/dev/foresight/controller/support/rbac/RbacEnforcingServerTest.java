package dev.foresight.controller.support.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.controller.chart.ChartInstall;
import dev.foresight.controller.chart.RenderedChart;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The authorizer the operator tests rely on refuses what RBAC does not grant, as a real server does. */
class RbacEnforcingServerTest {

  @Test
  void requestsParseIntoTheVerbsAndResourcesRbacNames() {
    assertEquals(Optional.of(new ResourceRequest("watch", "batch", "jobs", null, "team-a", null)),
        ResourceRequest.parse("GET", "/apis/batch/v1/namespaces/team-a/jobs?resourceVersion=5&watch=true"));
    assertEquals(Optional.of(new ResourceRequest("list", "", "pods", null, null, null)),
        ResourceRequest.parse("GET", "/api/v1/pods?limit=500"));
    assertEquals(Optional.of(new ResourceRequest("patch", "foresight.dev", "probeevaluations", "status", "a", "x")),
        ResourceRequest.parse("PATCH", "/apis/foresight.dev/v1alpha1/namespaces/a/probeevaluations/x/status"));
    assertEquals(Optional.of(new ResourceRequest("get", "", "namespaces", null, null, "a")),
        ResourceRequest.parse("GET", "/api/v1/namespaces/a"));
    assertEquals(Optional.empty(), ResourceRequest.parse("GET", "/apis/batch/v1"), "discovery is not a resource");
    assertEquals(Optional.empty(), ResourceRequest.parse("GET", "/version"));
  }

  @Test
  void theChartsRolesAllowTheWatchedNamespaceOnlyAndNoLeaseWithoutLeaderElection() {
    try (ChartInstall install = ChartInstall.install(RenderedChart.values("watchNamespaces[0]", "team-a"));
        KubernetesClient operator = install.api.serviceAccountClient()) {
      assertEquals(List.of(), operator.batch().v1().jobs().inNamespace("team-a").list().getItems());
      KubernetesClientException refused = assertThrows(KubernetesClientException.class,
          () -> operator.batch().v1().jobs().inNamespace("team-b").list());
      assertEquals(403, refused.getCode());
      assertTrue(refused.getMessage().contains("cannot list resource \"jobs\" in API group \"batch\" in the namespace \"team-b\""),
          refused.getMessage());
      assertThrows(KubernetesClientException.class, () -> operator.leases().inNamespace(RenderedChart.NAMESPACE)
          .resource(new LeaseBuilder().withNewMetadata().withName("l").endMetadata().build()).create());
      assertEquals(2, install.api.denied().size(), install.api.denied().toString());
      // The test's own client is a cluster admin.
      assertEquals(List.of(), install.admin().batch().v1().jobs().inNamespace("team-b").list().getItems());
    }
  }
}
