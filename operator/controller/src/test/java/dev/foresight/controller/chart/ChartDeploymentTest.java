package dev.foresight.controller.chart;

import static dev.foresight.controller.chart.RenderedChart.render;
import static dev.foresight.controller.chart.RenderedChart.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.controller.config.ConfigKeys;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The operator's Deployment: configuration only through ConfigKeys, health probes, images, hardening. */
class ChartDeploymentTest {

  /** Every install shape the chart has, so that no branch of the templates escapes the checks below. */
  static Stream<RenderedChart> everyShape() {
    return Stream.of(
        render(),
        render(values("watchNamespaces[0]", "team-a", "worker.resources.requests.cpu", "4")),
        render(values("replicaCount", 2, "javaOptions", "-Xss1m", "monitoring.serviceMonitor.enabled", true)),
        render(values("worker.serviceAccount.namespaces[0]", "research", "maxInFlight", 8)));
  }

  @Test
  void everyForesightVariableIsAConfigKey() {
    everyShape().forEach(chart -> {
      Map<String, String> env = chart.operatorEnv();
      List<String> unknown = env.keySet().stream()
          .filter(name -> name.startsWith("FORESIGHT_") && !ConfigKeys.ALL.contains(name)).toList();
      assertTrue(unknown.isEmpty(), () -> "not in ConfigKeys.ALL, the operator would ignore them: " + unknown);
      assertTrue(env.keySet().stream().allMatch(name -> name.startsWith("FORESIGHT_") || name.equals("JAVA_TOOL_OPTIONS")),
          () -> "unexpected variables: " + env.keySet());
    });
  }

  @Test
  void downwardApiGivesTheOperatorItsNamespaceAndPodName() {
    Map<String, String> fields = new LinkedHashMap<>();
    for (EnvVar var : render().operator().getEnv()) {
      if (var.getValueFrom() != null) {
        fields.put(var.getName(), var.getValueFrom().getFieldRef().getFieldPath());
      }
    }
    assertEquals(Map.of(ConfigKeys.OPERATOR_NAMESPACE, "metadata.namespace", ConfigKeys.POD_NAME, "metadata.name"), fields);
  }

  @Test
  void valuesReachTheOperatorUnderTheirKeys() throws Exception {
    Map<String, String> defaults = render().operatorEnv();
    assertEquals("", defaults.get(ConfigKeys.WATCH_NAMESPACES), "empty watches every namespace");
    assertEquals("ghcr.io/foresight-dev/foresight-worker:0.1.0-cuda", defaults.get(ConfigKeys.WORKER_IMAGE));
    assertEquals("nvidia.com/gpu", defaults.get(ConfigKeys.GPU_RESOURCE_NAME));
    assertEquals("1", defaults.get(ConfigKeys.DEFAULT_GPUS));
    assertEquals("8080", defaults.get(ConfigKeys.METRICS_PORT));
    assertEquals("false", defaults.get(ConfigKeys.LEADER_ELECTION));
    assertFalse(defaults.containsKey(ConfigKeys.LEASE_NAME), "no Lease without leader election");
    assertFalse(defaults.containsKey(ConfigKeys.WORKER_SERVICE_ACCOUNT),
        "watching every namespace with no worker namespaces listed: workers use each namespace's default account");
    assertFalse(defaults.containsKey(ConfigKeys.WORKER_RESOURCES));

    Map<String, String> custom = render(values(
        "watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b",
        "worker.image.variant", "cpu", "worker.image.repository", "registry.local/worker",
        "worker.resources.requests.cpu", "4", "worker.resources.limits.memory", "64Gi",
        "worker.gpuResourceName", "amd.com/gpu", "maxInFlight", 8, "metricsPort", 9090)).operatorEnv();
    assertEquals("team-a,team-b", custom.get(ConfigKeys.WATCH_NAMESPACES));
    assertEquals("registry.local/worker:0.1.0-cpu", custom.get(ConfigKeys.WORKER_IMAGE));
    assertEquals("foresight-worker", custom.get(ConfigKeys.WORKER_SERVICE_ACCOUNT));
    assertEquals("amd.com/gpu", custom.get(ConfigKeys.GPU_RESOURCE_NAME));
    assertEquals("8", custom.get(ConfigKeys.MAX_IN_FLIGHT));
    assertEquals("9090", custom.get(ConfigKeys.METRICS_PORT));
    // --set turns "4" into a number; a quantity may be either in Kubernetes JSON.
    ObjectMapper json = new ObjectMapper();
    assertEquals(json.readTree("{\"requests\":{\"cpu\":4},\"limits\":{\"memory\":\"64Gi\"}}"),
        json.readTree(custom.get(ConfigKeys.WORKER_RESOURCES)), "worker resources travel as JSON");

    Map<String, String> listed = render(values("worker.serviceAccount.namespaces[0]", "research")).operatorEnv();
    assertEquals("foresight-worker", listed.get(ConfigKeys.WORKER_SERVICE_ACCOUNT));
  }

  @Test
  void operatorAndWorkerImagesAreSeparateValues() {
    RenderedChart chart = render(values(
        "image.repository", "registry.local/op", "image.tag", "1.2.3",
        "worker.image.repository", "registry.local/wk", "worker.image.tag", "nightly"));
    assertEquals("registry.local/op:1.2.3", chart.operator().getImage());
    assertEquals("registry.local/wk:nightly", chart.operatorEnv().get(ConfigKeys.WORKER_IMAGE));
  }

  @Test
  void probesHitHealthAndReadinessOnTheMetricsPort() {
    Container operator = render(values("metricsPort", 9090)).operator();
    assertEquals(9090, operator.getPorts().get(0).getContainerPort());
    assertEquals("metrics", operator.getPorts().get(0).getName());
    assertHttpGet(operator.getLivenessProbe(), "/healthz");
    assertHttpGet(operator.getStartupProbe(), "/healthz");
    assertHttpGet(operator.getReadinessProbe(), "/readyz");
  }

  @Test
  void everyPodAndContainerIsHardened() {
    everyShape().forEach(chart -> {
      PodSpec pod = chart.deployment().getSpec().getTemplate().getSpec();
      PodSecurityContext podContext = pod.getSecurityContext();
      assertEquals(Boolean.TRUE, podContext.getRunAsNonRoot());
      assertTrue(podContext.getRunAsUser() != null && podContext.getRunAsUser() > 0, "a numeric non-root user");
      assertEquals("RuntimeDefault", podContext.getSeccompProfile().getType());
      assertNull(pod.getHostNetwork());
      assertNull(pod.getHostPID());
      for (Container container : Stream.concat(pod.getContainers().stream(), pod.getInitContainers().stream()).toList()) {
        SecurityContext context = container.getSecurityContext();
        assertEquals(Boolean.FALSE, context.getAllowPrivilegeEscalation(), container.getName());
        assertEquals(Boolean.TRUE, context.getReadOnlyRootFilesystem(), container.getName());
        assertEquals(List.of("ALL"), context.getCapabilities().getDrop(), container.getName());
        assertTrue(context.getCapabilities().getAdd() == null || context.getCapabilities().getAdd().isEmpty());
        assertTrue(context.getPrivileged() == null || !context.getPrivileged(), container.getName());
        assertTrue(container.getResources().getLimits().containsKey("memory"), "a memory limit bounds the JVM");
        assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
            "a read-only root still needs a writable /tmp for the JVM");
      }
    });
  }

  private static void assertHttpGet(Probe probe, String path) {
    assertEquals(path, probe.getHttpGet().getPath());
    assertEquals("metrics", probe.getHttpGet().getPort().getStrVal());
  }
}
