package dev.foresight.controller.chart;

import static dev.foresight.controller.chart.RenderedChart.NAMESPACE;
import static dev.foresight.controller.chart.RenderedChart.REPO;
import static dev.foresight.controller.chart.RenderedChart.render;
import static dev.foresight.controller.chart.RenderedChart.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.controller.metrics.MetricNames;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard (one file, see ChartFilesTest): loaded by the sidecar, reading only exported metrics. */
class DashboardTest {
  static final Path EXAMPLE_DASHBOARD = REPO.resolve("examples/dashboard/foresight-dashboard.json");

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void configMapCarriesTheDashboardUnderTheSidecarsLabel() throws IOException {
    ConfigMap configMap = render(values("monitoring.dashboard.enabled", true)).one(ConfigMap.class);
    assertEquals("1", configMap.getMetadata().getLabels().get("grafana_dashboard"));
    assertEquals(NAMESPACE, configMap.getMetadata().getNamespace());
    assertEquals(Set.of("foresight-dashboard.json"), configMap.getData().keySet());
    assertEquals(JSON.readTree(EXAMPLE_DASHBOARD.toFile()), JSON.readTree(configMap.getData().get("foresight-dashboard.json")));

    ConfigMap elsewhere = render(values("monitoring.dashboard.enabled", true, "monitoring.dashboard.namespace", "grafana",
        "monitoring.dashboard.label", "dashboards", "monitoring.dashboard.labelValue", "foresight")).one(ConfigMap.class);
    assertEquals("grafana", elsewhere.getMetadata().getNamespace());
    assertEquals("foresight", elsewhere.getMetadata().getLabels().get("dashboards"));
  }

  @Test
  void panelsAndVariablesReadOnlyMetricsTheOperatorExports() throws IOException {
    JsonNode dashboard = JSON.readTree(EXAMPLE_DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(target.path("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        queries.add(variable.path("query").path("query").asText());
      }
    }
    Set<String> read = ExportedMetrics.assertAllExported(queries, "foresight-dashboard.json");
    assertTrue(read.containsAll(List.of(MetricNames.PREDICTED_PASS_AT_1, MetricNames.ACTUAL_PASS_AT_1,
        MetricNames.PROBE_ERROR, MetricNames.CHECKPOINT_STEP, MetricNames.EVALUATIONS_TOTAL)), () -> "dashboard reads " + read);
    assertTrue(read.containsAll(MetricNames.MONITOR), () -> "dashboard reads " + read);
  }

  /**
   * The followed run's panel: one per selected run, predicted and validated pass@1 per task, and the
   * step they belong to (Prometheus has no step axis, so the step is a series of its own).
   */
  @Test
  void aFollowedRunShowsPassAt1PerTaskWithItsStep() throws IOException {
    JsonNode panel = panels(JSON.readTree(EXAMPLE_DASHBOARD.toFile())).stream()
        .filter(p -> p.path("title").asText().startsWith("pass@1 per task over steps")).findFirst().orElseThrow();
    assertEquals("run", panel.path("repeat").asText(), "one panel per selected run");
    List<Set<String>> read = new ArrayList<>();
    for (JsonNode target : panel.path("targets")) {
      String expr = target.path("expr").asText();
      assertTrue(expr.contains("run=~\"$run\""), () -> "not filtered by the run: " + expr);
      read.add(ExportedMetrics.readBy(expr));
    }
    assertEquals(List.of(Set.of(MetricNames.PREDICTED_PASS_AT_1), Set.of(MetricNames.ACTUAL_PASS_AT_1),
        Set.of(MetricNames.CHECKPOINT_STEP)), read);
  }

  @Test
  void gaugesAreNeverAddedUpAcrossPods() throws IOException {
    // A gauge holds one value per run (or monitor) in every operator pod that exports it: summed,
    // two pods (a standby, or a restart's old and new pod) would show a doubled step or pass@1.
    Set<String> gauges = Set.of(MetricNames.PREDICTED_PASS_AT_1, MetricNames.ACTUAL_PASS_AT_1, MetricNames.PROBE_ERROR,
        MetricNames.CHECKPOINT_STEP, MetricNames.MONITOR_LAST_SEEN_STEP, MetricNames.MONITOR_LAST_EVALUATED_STEP,
        MetricNames.MONITOR_PENDING_CHECKPOINTS, MetricNames.MONITOR_STALLED);
    int checked = 0;
    for (String expr : queries()) {
      if (ExportedMetrics.readBy(expr).stream().anyMatch(gauges::contains)) {
        assertTrue(!expr.matches("(?s).*\\b(sum|count|avg)\\b.*"), () -> "a gauge added up: " + expr);
        checked++;
      }
    }
    assertTrue(checked >= gauges.size(), "too few gauge queries found: " + checked);
  }

  @Test
  void monitorPanelsKeepEachNamespacesMonitorsApart() throws IOException {
    // Monitors are named per namespace: two namespaces may each have a monitor "olmo".
    int checked = 0;
    for (String expr : queries()) {
      if (ExportedMetrics.readBy(expr).stream().anyMatch(MetricNames.MONITOR::contains)) {
        assertTrue(expr.contains("by (namespace, monitor") && expr.contains("namespace=~\"$namespace\"")
            && expr.contains("run=~\"$run\""), () -> "per namespace and monitor, filtered by the variables: " + expr);
        checked++;
      }
    }
    assertEquals(MetricNames.MONITOR.size(), checked, "one query per monitor metric");
  }

  @Test
  void countsEveryReplicaReportsAreNotAddedUp() throws IOException {
    // With leader election every replica, the standby included, exports the queue's numbers from its
    // caches: summed over two replicas, a dashboard would show twice the evaluations in flight.
    List<String> queueQueries = new ArrayList<>();
    for (JsonNode panel : panels(JSON.readTree(EXAMPLE_DASHBOARD.toFile()))) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        if (expr.contains(MetricNames.EVALUATIONS_IN_FLIGHT) || expr.contains(MetricNames.EVALUATIONS_QUEUED)) {
          queueQueries.add(expr);
        }
      }
    }
    assertEquals(List.of("max(" + MetricNames.EVALUATIONS_IN_FLIGHT + ")", "max(" + MetricNames.EVALUATIONS_QUEUED + ")"),
        queueQueries);
  }

  @Test
  void everyPanelQueriesThroughTheDatasourceVariable() throws IOException {
    // A hard-coded datasource uid would break on every Grafana but the author's.
    for (JsonNode panel : panels(JSON.readTree(EXAMPLE_DASHBOARD.toFile()))) {
      if (!panel.path("type").asText().equals("row")) {
        assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), panel.path("title").asText());
        assertTrue(panel.path("targets").size() > 0, () -> panel.path("title").asText() + " has no query");
      }
    }
  }

  private static List<String> queries() throws IOException {
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : panels(JSON.readTree(EXAMPLE_DASHBOARD.toFile()))) {
      panel.path("targets").forEach(target -> queries.add(target.path("expr").asText()));
    }
    return queries;
  }

  private static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> panels = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      panels.add(panel);
      panel.path("panels").forEach(panels::add);
    }
    return panels;
  }
}
