package dev.foresight.controller.metrics;

import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeMonitorStatus;
import dev.foresight.controller.status.Conditions;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The ProbeMonitor metrics, labelled namespace, monitor and run: one series per monitor (a run has
 * one monitor), never per evaluation. Gauges are set from the status each time it is written (and
 * after a restart, at the first reconcile), so they say what the status says; counters count
 * events once, in the process that saw them (see {@link EvaluationMetrics} on restarts). A deleted
 * monitor's series are removed.
 */
public final class MonitorMetrics {
  /** The results of {@link MetricNames#MONITOR_EVALUATIONS_TOTAL}. */
  public enum Result { succeeded, failed }

  private final Gauge lastSeen;
  private final Gauge lastEvaluated;
  private final Gauge pending;
  private final Gauge stalled;
  private final Counter scanFailures;
  private final Counter evaluations;

  public MonitorMetrics(PrometheusRegistry registry) {
    lastSeen = gauge(registry, MetricNames.MONITOR_LAST_SEEN_STEP, "Highest ready checkpoint step a ProbeMonitor has seen");
    lastEvaluated = gauge(registry, MetricNames.MONITOR_LAST_EVALUATED_STEP,
        "Highest checkpoint step a ProbeMonitor has given an evaluation");
    pending = gauge(registry, MetricNames.MONITOR_PENDING_CHECKPOINTS,
        "Ready checkpoints a ProbeMonitor chose and has not yet given an evaluation");
    stalled = gauge(registry, MetricNames.MONITOR_STALLED,
        "1 while no new ready checkpoint appeared within the monitor's spec.stalledAfterSeconds");
    scanFailures = Counter.builder().name(MetricNames.MONITOR_SCAN_FAILURES_TOTAL)
        .help("Scans of a ProbeMonitor's prefix that failed or whose report was refused")
        .labelNames("namespace", "monitor", "run").register(registry);
    evaluations = Counter.builder().name(MetricNames.MONITOR_EVALUATIONS_TOTAL)
        .help("A ProbeMonitor's evaluations that finished, by result (succeeded or failed)")
        .labelNames("namespace", "monitor", "run", "result").register(registry);
  }

  private static Gauge gauge(PrometheusRegistry registry, String name, String help) {
    return Gauge.builder().name(name).help(help).labelNames("namespace", "monitor", "run").register(registry);
  }

  /** Sets the gauges from the status just written. */
  public void observed(ProbeMonitor monitor) {
    ProbeMonitorStatus status = monitor.getStatus();
    if (status == null) {
      return;
    }
    String[] labels = labels(monitor);
    if (status.getLastSeenStep() != null) {
      lastSeen.labelValues(labels).set(status.getLastSeenStep());
    }
    if (status.getLastEvaluatedStep() != null) {
      lastEvaluated.labelValues(labels).set(status.getLastEvaluatedStep());
    }
    if (status.getCounts() != null && status.getCounts().getPending() != null) {
      pending.labelValues(labels).set(status.getCounts().getPending());
    }
    stalled.labelValues(labels).set(Conditions.isTrue(status.getConditions(), Conditions.STALLED) ? 1 : 0);
  }

  public void scanFailed(ProbeMonitor monitor) {
    scanFailures.labelValues(labels(monitor)).inc();
  }

  public void evaluationFinished(ProbeMonitor monitor, Result result) {
    String[] labels = labels(monitor);
    evaluations.labelValues(labels[0], labels[1], labels[2], result.name()).inc();
  }

  /** Forgets a deleted monitor's series. */
  public void remove(String namespace, String monitor, String run) {
    for (Gauge gauge : new Gauge[] {lastSeen, lastEvaluated, pending, stalled}) {
      gauge.remove(namespace, monitor, run);
    }
    scanFailures.remove(namespace, monitor, run);
    for (Result result : Result.values()) {
      evaluations.remove(namespace, monitor, run, result.name());
    }
  }

  private static String[] labels(ProbeMonitor monitor) {
    return new String[] {monitor.getMetadata().getNamespace(), monitor.getMetadata().getName(), monitor.getSpec().getRun()};
  }
}
