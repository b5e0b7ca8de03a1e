package dev.foresight.controller.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.controller.metrics.MetricNames;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The checker that the alert and dashboard tests lean on: it must find metrics, and only metrics. */
class ExportedMetricsTest {

  @Test
  void findsSeriesButNotFunctionsLabelsDurationsOrKeywords() {
    assertEquals(Set.of("foresight_evaluations_total"), ExportedMetrics.readBy(
        "sum by (namespace, result) ((increase(foresight_evaluations_total{result!=\"Succeeded\"}[30m])"
            + " and foresight_evaluations_total offset 30m) or foresight_evaluations_total) > 0"));
    assertEquals(Set.of("foresight_evaluation_duration_seconds_bucket"), ExportedMetrics.readBy(
        "histogram_quantile(0.9, sum by (le, stage) (rate(foresight_evaluation_duration_seconds_bucket[$__rate_interval])))"));
    assertEquals(Set.of("foresight_predicted_pass_at_1", "foresight_actual_pass_at_1"), ExportedMetrics.readBy(
        "abs(foresight_predicted_pass_at_1 - on (namespace, run, task) group_left foresight_actual_pass_at_1) > 1e-1"));
    assertEquals(Set.of("foresight_checkpoint_step"),
        ExportedMetrics.readBy("label_values(foresight_checkpoint_step{namespace=~\"$namespace\"}, run)"));
    assertEquals(Set.of("up"), ExportedMetrics.readBy("absent(up{job=\"foresight\"} == 1)"));
  }

  @Test
  void acceptsExportedSeriesAndHistogramPartsOnly() {
    assertTrue(ExportedMetrics.isExported("foresight_predicted_pass_at_1"));
    assertTrue(ExportedMetrics.isExported("foresight_evaluations_total"));
    assertTrue(ExportedMetrics.isExported("foresight_evaluation_duration_seconds_bucket"));
    assertTrue(ExportedMetrics.isExported("foresight_reconciliation_duration_seconds_count"));

    assertFalse(ExportedMetrics.isExported("up"), "Prometheus' own series is not the operator's");
    assertFalse(ExportedMetrics.isExported("foresight_evaluations"), "a counter is queried with _total");
    assertFalse(ExportedMetrics.isExported("foresight_evaluation_duration_seconds"), "a histogram has no bare series");
    assertFalse(ExportedMetrics.isExported("foresight_predicted_pass_at_1_bucket"), "a gauge has no buckets");
    assertFalse(ExportedMetrics.isExported("foresight_predicted_pass_at_one"));
  }

  @Test
  void acceptsTheProbeMonitorMetricsButNoOtherMonitorName() {
    assertTrue(ExportedMetrics.isExported("foresight_monitor_last_seen_step"));
    assertTrue(ExportedMetrics.isExported("foresight_monitor_scan_failures_total"));
    assertFalse(ExportedMetrics.isExported("foresight_monitor_scan_failures"), "a counter is queried with _total");
    assertFalse(ExportedMetrics.isExported("foresight_monitor_last_step"));
  }

  @Test
  void failsOnARuleThatReadsAnUnknownMetric() {
    AssertionError drift = assertThrows(AssertionError.class, () -> ExportedMetrics.assertAllExported(
        List.of("foresight_predicted_pass_at_1 > 0", "rate(foresight_evaluation_total[5m]) > 0"), "test rules"));
    assertTrue(drift.getMessage().contains("foresight_evaluation_total"), drift::getMessage);
    assertThrows(AssertionError.class, () -> ExportedMetrics.assertAllExported(List.of(), "no rules"));
  }
}
