package dev.foresight.controller.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * JOSDK's reconcile metrics through its {@link Metrics} interface, on the Prometheus client:
 * how many reconciliations ran and how long they took, per resource kind (never per resource).
 */
public final class ReconcileMetrics implements Metrics {
  private final Counter reconciliations;
  private final Histogram duration;

  public ReconcileMetrics(PrometheusRegistry registry) {
    reconciliations = Counter.builder().name(MetricNames.RECONCILIATIONS_TOTAL)
        .help("Reconciliations run by the operator, by resource kind and result (success or failure)")
        .labelNames("resource", "result").register(registry);
    duration = Histogram.builder().name(MetricNames.RECONCILIATION_DURATION_SECONDS)
        .help("Seconds per reconciliation, by resource kind")
        .labelNames("resource").classicOnly()
        .classicUpperBounds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .register(registry);
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    Object gvk = execution.metadata() == null ? null : execution.metadata().get(Constants.RESOURCE_GVK_KEY);
    String resource = gvk instanceof GroupVersionKind g ? g.getKind() : execution.controllerName();
    long start = System.nanoTime();
    try {
      T result = execution.execute();
      reconciliations.labelValues(resource, "success").inc();
      return result;
    } catch (Exception e) {
      reconciliations.labelValues(resource, "failure").inc();
      throw e;
    } finally {
      duration.labelValues(resource).observe((System.nanoTime() - start) / 1e9);
    }
  }
}
