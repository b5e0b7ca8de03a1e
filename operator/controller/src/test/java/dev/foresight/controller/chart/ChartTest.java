package dev.foresight.controller.chart;

import static dev.foresight.controller.chart.RenderedChart.CHART;
import static dev.foresight.controller.chart.RenderedChart.NAMESPACE;
import static dev.foresight.controller.chart.RenderedChart.REPO;
import static dev.foresight.controller.chart.RenderedChart.render;
import static dev.foresight.controller.chart.RenderedChart.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.foresight.controller.config.ConfigKeys;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart through real Helm: lint, the three install shapes, the values schema, and its CRDs. */
class ChartTest {

  @Test
  void lintsCleanInStrictMode() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertFalse(lint.isFailed(), () -> "helm lint --strict: " + lint.getMessages());
    // Only the icon suggestion (INFO) is expected; a WARNING or ERROR would fail strict lint anyway.
    assertTrue(lint.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
        () -> "helm lint: " + lint.getMessages());
  }

  @Test
  void defaultsRenderTheOperatorWatchingEveryNamespaceWithoutMonitoring() {
    RenderedChart chart = render();

    Deployment deployment = chart.deployment();
    assertEquals(NAMESPACE, deployment.getMetadata().getNamespace());
    assertEquals(1, deployment.getSpec().getReplicas());
    assertEquals("Recreate", deployment.getSpec().getStrategy().getType(),
        "one operator without a Lease must stop before its successor starts");
    assertEquals("ghcr.io/foresight-dev/foresight-operator:0.1.0", chart.operator().getImage());

    assertTrue(chart.contains("ClusterRole") && chart.contains("ClusterRoleBinding"));
    chart.assertNo("Role");
    chart.assertNo("RoleBinding");
    chart.assertNo("ServiceMonitor");
    chart.assertNo("PrometheusRule");
    chart.assertNo("ConfigMap");

    // Watching every namespace, the chart cannot create the worker account where evaluations run.
    assertEquals(List.of("foresight"), names(chart.all(ServiceAccount.class)));

    Service metrics = chart.one(Service.class);
    assertEquals("metrics", metrics.getSpec().getPorts().get(0).getName());
    assertEquals(8080, metrics.getSpec().getPorts().get(0).getPort());
    assertEquals(deployment.getSpec().getSelector().getMatchLabels(), metrics.getSpec().getSelector(),
        "the metrics Service selects exactly the operator's pods");
  }

  @Test
  void watchedNamespacesGetTheirOwnRolesAndWorkerAccountsAndNoClusterAccess() {
    RenderedChart chart = render(values("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b",
        "worker.serviceAccount.imagePullSecrets[0].name", "registry-creds"));

    chart.assertNo("ClusterRole");
    chart.assertNo("ClusterRoleBinding");
    List<ServiceAccount> workers = chart.all(ServiceAccount.class).stream()
        .filter(sa -> sa.getMetadata().getName().equals("foresight-worker")).toList();
    assertEquals(List.of("team-a", "team-b"), workers.stream().map(sa -> sa.getMetadata().getNamespace()).toList());
    for (ServiceAccount worker : workers) {
      assertEquals(Boolean.FALSE, worker.getAutomountServiceAccountToken(), "worker pods need no API token");
      assertEquals("registry-creds", worker.getImagePullSecrets().get(0).getName(), "pods inherit the account's pull secrets");
    }
  }

  @Test
  void monitoringRendersServiceMonitorRuleAndDashboardThatFitTheService() {
    RenderedChart chart = render(values(
        "monitoring.serviceMonitor.enabled", true,
        "monitoring.serviceMonitor.labels.release", "kube-prometheus-stack",
        "monitoring.prometheusRule.enabled", true,
        "monitoring.dashboard.enabled", true));

    GenericKubernetesResource monitor = chart.oneOfKind("ServiceMonitor");
    assertEquals("kube-prometheus-stack", monitor.getMetadata().getLabels().get("release"));
    Service service = chart.one(Service.class);
    assertEquals(service.getSpec().getSelector(), monitor.get("spec", "selector", "matchLabels"),
        "the ServiceMonitor selects the metrics Service by its pods' labels, which the Service also carries");
    assertTrue(service.getMetadata().getLabels().entrySet()
        .containsAll(service.getSpec().getSelector().entrySet()));
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertEquals(1, endpoints.size());
    assertEquals("metrics", endpoints.get(0).get("port"));
    assertEquals("/metrics", endpoints.get(0).get("path"));
    assertEquals(true, endpoints.get(0).get("honorLabels"),
        "the metrics' own namespace label (the ProbeEvaluation's) must win over the target's");

    assertEquals(NAMESPACE, chart.oneOfKind("PrometheusRule").getMetadata().getNamespace());
    assertTrue(chart.contains("ConfigMap"));
  }

  @Test
  void moreReplicasTurnLeaderElectionOnAndRollingUpdates() {
    RenderedChart chart = render(values("replicaCount", 2));
    Deployment deployment = chart.deployment();
    assertEquals(2, deployment.getSpec().getReplicas());
    assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());
    assertEquals("true", chart.operatorEnv().get(ConfigKeys.LEADER_ELECTION));
    assertEquals("foresight-leader", chart.operatorEnv().get(ConfigKeys.LEASE_NAME));
  }

  @Test
  void refusesTwoReplicasWithoutLeaderElection() {
    Exception refused = assertThrows(IllegalStateException.class,
        () -> render(values("replicaCount", 2, "leaderElection.enabled", false)));
    assertTrue(refused.getMessage().contains("leaderElection.enabled=false needs replicaCount: 1"), refused::getMessage);
  }

  @Test
  void schemaRejectsUnknownKeysAndBadValuesNamingThem() {
    Exception typo = assertThrows(IllegalStateException.class, () -> render(values("maxInflight", 4)));
    assertTrue(typo.getMessage().contains("maxInflight"), typo::getMessage);

    Exception variant = assertThrows(IllegalStateException.class, () -> render(values("worker.image.variant", "rocm")));
    assertTrue(variant.getMessage().contains("/worker/image/variant"), variant::getMessage);

    Exception negative = assertThrows(IllegalStateException.class, () -> render(values("maxInFlight", -1)));
    assertTrue(negative.getMessage().contains("/maxInFlight"), negative::getMessage);

    Exception namespace = assertThrows(IllegalStateException.class, () -> render(values("watchNamespaces[0]", "Team_A")));
    assertTrue(namespace.getMessage().contains("/watchNamespaces/0"), namespace::getMessage);
  }

  @Test
  void installNotesSayWhatRunsAndHowToUpgradeTheCrd() {
    // helm template skips NOTES.txt: a client-only dry-run install renders it as a user would see it.
    String all = new Helm(CHART).install().withName("foresight").withNamespace(NAMESPACE)
        .withKubeVersion(RenderedChart.KUBE_VERSION).clientOnly().dryRun().call().getOutput();
    assertTrue(all.contains("Watching: every namespace."), all);
    assertTrue(all.contains("each namespace's default (worker pods mount no token)"), all);
    assertTrue(all.contains("kubectl apply --server-side --force-conflicts -f foresight/crds/"), all);

    String listed = new Helm(CHART).install().withName("foresight").withNamespace(NAMESPACE)
        .withKubeVersion(RenderedChart.KUBE_VERSION).set("watchNamespaces[0]", "team-a").set("watchNamespaces[1]", "team-b")
        .clientOnly().dryRun().call().getOutput();
    assertTrue(listed.contains("Watching: team-a, team-b."), listed);
    assertTrue(listed.contains("Worker service account: foresight-worker in each watched namespace."), listed);
  }

  @Test
  void chartCarriesTheProbeEvaluationCrd() throws IOException {
    Path crdFile = CHART.resolve("crds/probeevaluations.foresight.dev-v1.yml");
    CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(crdFile), CustomResourceDefinition.class);
    assertEquals("foresight.dev", crd.getSpec().getGroup());
    assertEquals("ProbeEvaluation", crd.getSpec().getNames().getKind());
    assertEquals(List.of("pe"), crd.getSpec().getNames().getShortNames());
    assertTrue(crd.getSpec().getVersions().stream().anyMatch(v -> v.getName().equals("v1alpha1") && v.getServed()));
    // The copy users apply by hand on upgrades (README) is the same file.
    assertEquals(Files.readString(REPO.resolve("crds").resolve(crdFile.getFileName())), Files.readString(crdFile));
  }

  @Test
  void packagedChartShipsTheCrdsAndTheMonitoringFiles(@TempDir Path out) throws IOException {
    new Helm(CHART).packageIt().withDestination(out).call();
    Path archive = out.resolve("foresight-0.1.0.tgz");
    assertTrue(Files.exists(archive), () -> "helm package wrote no " + archive);
    List<String> entries = tarEntries(archive);
    for (String expected : List.of("foresight/crds/probeevaluations.foresight.dev-v1.yml",
        "foresight/files/foresight-rules.yaml", "foresight/files/foresight-dashboard.json",
        "foresight/values.schema.json", "foresight/README.md", "foresight/templates/NOTES.txt")) {
      assertTrue(entries.contains(expected), () -> expected + " missing from the packaged chart: " + entries);
    }
  }

  private static List<String> names(List<ServiceAccount> accounts) {
    return accounts.stream().map(sa -> sa.getMetadata().getName()).toList();
  }

  /** Entry names of a .tgz (POSIX ustar headers: 512-byte blocks, name at 0, size in octal at 124). */
  private static List<String> tarEntries(Path tgz) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz))) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = cString(header, 0, 100);
        String prefix = cString(header, 345, 155);
        long size = Long.parseLong(cString(header, 124, 12).trim(), 8);
        names.add(prefix.isEmpty() ? name : prefix + "/" + name);
        in.skipNBytes((size + 511) / 512 * 512);
      }
    }
    return names;
  }

  private static String cString(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.US_ASCII);
  }
}
