package dev.foresight.controller.chart;

import static dev.foresight.controller.chart.RenderedChart.REPO;
import static dev.foresight.controller.chart.RenderedChart.render;
import static dev.foresight.controller.chart.RenderedChart.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.foresight.controller.metrics.MetricNames;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The alert rules (examples/alerts/foresight-rules.yaml, the chart's files/foresight-rules.yaml: see
 * ChartFilesTest): the PrometheusRule built from them, the metrics they read, their promtool unit tests.
 */
class AlertRulesTest {
  static final Path EXAMPLE_RULES = REPO.resolve("examples/alerts/foresight-rules.yaml");
  static final Path RULE_TESTS = REPO.resolve("examples/alerts/foresight-rules.test.yaml");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void prometheusRuleSpecIsTheRuleFile() throws IOException {
    Map<String, Object> spec = render(values("monitoring.prometheusRule.enabled", true))
        .oneOfKind("PrometheusRule").get("spec");
    assertEquals(YAML.readValue(EXAMPLE_RULES.toFile(), Map.class), spec);
  }

  @Test
  void rulesCoverEachSituationTheIssueNames() throws IOException {
    assertEquals(List.of("ForesightPassAt1Regression", "ForesightEvaluationsFailing", "ForesightEvaluationsSlow",
        "ForesightProbeDrift", "ForesightMonitorStalled", "ForesightMonitorScanFailing", "ForesightTrainingFailed",
        "ForesightOperatorDown"),
        rules().stream().map(r -> (String) r.get("alert")).toList());
    for (Map<String, Object> rule : rules()) {
      Map<?, ?> labels = (Map<?, ?>) rule.get("labels");
      Map<?, ?> annotations = (Map<?, ?>) rule.get("annotations");
      assertTrue(Set.of("warning", "critical").contains(labels.get("severity")), () -> rule.get("alert") + " severity");
      assertTrue(annotations.containsKey("summary") && annotations.containsKey("description"),
          () -> rule.get("alert") + " needs a summary and a description");
    }
  }

  @Test
  void rulesReadOnlyMetricsTheOperatorExports() throws IOException {
    List<String> expressions = rules().stream().map(r -> (String) r.get("expr")).toList();
    Set<String> read = ExportedMetrics.assertAllExported(expressions, "foresight-rules.yaml");
    assertTrue(read.containsAll(List.of(MetricNames.PREDICTED_PASS_AT_1, MetricNames.PROBE_ERROR,
        MetricNames.EVALUATIONS_TOTAL, MetricNames.EVALUATIONS_IN_FLIGHT, MetricNames.MONITOR_STALLED,
        MetricNames.MONITOR_SCAN_FAILURES_TOTAL, MetricNames.TRAININGS_TOTAL)), () -> "rules read " + read);
  }

  /**
   * Every alert on a ProbeMonitor names the monitor, its run and namespace, so that the
   * description's kubectl command points at the resource; one per monitor, not per operator pod.
   */
  @Test
  void monitorAlertsAreOnePerMonitor() throws IOException {
    List<Map<String, Object>> monitorRules = rules().stream()
        .filter(r -> ((String) r.get("alert")).startsWith("ForesightMonitor")).toList();
    assertEquals(2, monitorRules.size());
    for (Map<String, Object> rule : monitorRules) {
      String expr = (String) rule.get("expr");
      assertTrue(expr.contains("by (namespace, monitor, run)"), () -> rule.get("alert") + " must aggregate per monitor: " + expr);
      String description = (String) ((Map<?, ?>) rule.get("annotations")).get("description");
      assertTrue(description.contains("pm {{ $labels.monitor }} -n {{ $labels.namespace }}"), description);
    }
  }

  @Test
  void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
    Optional<Path> promtool = promtool();
    Assumptions.assumeTrue(promtool.isPresent(),
        "SKIPPED: promtool is not on the PATH, so the alert rules' unit tests did not run. Install it with"
            + " `apt-get install prometheus` (.ci/run does), then: promtool test rules " + REPO.relativize(RULE_TESTS));
    assertSucceeds(promtool.get(), "check", "rules", EXAMPLE_RULES.getFileName().toString());
    String tested = assertSucceeds(promtool.get(), "test", "rules", RULE_TESTS.getFileName().toString());
    assertTrue(tested.contains("SUCCESS"), tested);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules() throws IOException {
    Map<String, Object> file = YAML.readValue(EXAMPLE_RULES.toFile(), Map.class);
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
      rules.addAll((List<Map<String, Object>>) group.get("rules"));
    }
    return rules;
  }

  private static Optional<Path> promtool() {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, "promtool"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Runs promtool in examples/alerts (the test file names its rule file relative to itself). */
  private static String assertSucceeds(Path promtool, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(promtool.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(RULE_TESTS.getParent().toFile())
        .redirectErrorStream(true).start();
    boolean finished = process.waitFor(60, TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(finished, () -> "promtool did not finish in 60 s: " + command);
    assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + output);
    return output;
  }
}
