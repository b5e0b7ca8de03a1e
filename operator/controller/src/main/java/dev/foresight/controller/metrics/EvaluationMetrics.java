package dev.foresight.controller.metrics;

import dev.foresight.api.v1alpha1.Latency;
import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.api.v1alpha1.TaskResult;
import dev.foresight.controller.queue.AdmissionQueue;
import dev.foresight.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation metrics of DESIGN.md, labelled per run and task, never per resource.
 *
 * <p>Restart semantics. Gauges are state: {@link #restore} rebuilds them from the status of every
 * Succeeded resource a new operator process reconciles, the newest step of each run winning
 * whatever the order. Counters and histograms are events: {@link #finished} is called once, by the
 * reconcile that wrote the final status, after the write succeeded. A resource already final when
 * a process starts is not counted again; the process that finished it counted it, and a new
 * process starts its counters at zero, which Prometheus reads as a counter reset
 * ({@code rate()} and {@code increase()} handle it). So no result is ever counted twice.
 */
public final class EvaluationMetrics {
  /** From a second to six hours: probe runs take minutes, generative validation up to hours. */
  private static final double[] DURATION_BUCKETS =
      {1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 21600};

  private final Gauge predicted;
  private final Gauge actual;
  private final Gauge probeError;
  private final Gauge step;
  private final Counter evaluations;
  private final Histogram duration;
  /** The step behind each gauge series: an older checkpoint finishing late must not overwrite a newer one. */
  private final Map<List<String>, Long> stepOfSeries = new HashMap<>();

  public EvaluationMetrics(PrometheusRegistry registry) {
    predicted = Gauge.builder().name(MetricNames.PREDICTED_PASS_AT_1)
        .help("Predicted pass@1 of the newest evaluated checkpoint of each run, per task")
        .labelNames("namespace", "run", "task").register(registry);
    actual = Gauge.builder().name(MetricNames.ACTUAL_PASS_AT_1)
        .help("Measured pass@1 of the newest validation run of each run, per task")
        .labelNames("namespace", "run", "task").register(registry);
    probeError = Gauge.builder().name(MetricNames.PROBE_ERROR)
        .help("Predicted minus measured pass@1 of the newest validation run of each run, per task")
        .labelNames("namespace", "run", "task").register(registry);
    step = Gauge.builder().name(MetricNames.CHECKPOINT_STEP)
        .help("Training step of the newest evaluated checkpoint of each run")
        .labelNames("namespace", "run").register(registry);
    evaluations = Counter.builder().name(MetricNames.EVALUATIONS_TOTAL)
        .help("Finished evaluations by result: Succeeded or the failure reason")
        .labelNames("namespace", "result").register(registry);
    duration = Histogram.builder().name(MetricNames.EVALUATION_DURATION_SECONDS)
        .help("Seconds spent per stage of successful evaluations: queued, load, forward, probe, generative, total")
        .labelNames("stage").classicOnly().classicUpperBounds(DURATION_BUCKETS).register(registry);
  }

  /** Exports the queue's numbers, read at scrape time. */
  public static void watch(PrometheusRegistry registry, AdmissionQueue queue) {
    GaugeWithCallback.builder().name(MetricNames.EVALUATIONS_IN_FLIGHT)
        .help("Evaluations with a Job that have not finished")
        .callback(cb -> cb.call(queue.inFlight())).register(registry);
    GaugeWithCallback.builder().name(MetricNames.EVALUATIONS_QUEUED)
        .help("Evaluations waiting for a slot (max in flight reached)")
        .callback(cb -> cb.call(queue.queued())).register(registry);
  }

  /** Call once per evaluation, right after its final status was written. */
  public void finished(ProbeEvaluation evaluation) {
    ProbeEvaluationStatus status = evaluation.getStatus();
    String namespace = evaluation.getMetadata().getNamespace();
    if (status.getPhase() == Phase.Succeeded) {
      evaluations.labelValues(namespace, "Succeeded").inc();
      Latency l = status.getLatency();
      if (l != null) {
        observe("queued", l.getQueuedSeconds());
        observe("load", l.getLoadSeconds());
        observe("forward", l.getForwardSeconds());
        observe("probe", l.getProbeSeconds());
        observe("generative", l.getGenerativeSeconds());
        observe("total", l.getTotalSeconds());
      }
      restore(evaluation);
    } else {
      String reason = Conditions.find(status.getConditions(), Conditions.FAILED).map(Condition::getReason)
          .orElse("WorkerFailed");
      evaluations.labelValues(namespace, reason).inc();
    }
  }

  private void observe(String stage, Double seconds) {
    if (seconds != null) {
      duration.labelValues(stage).observe(seconds);
    }
  }

  /** Sets the gauges from a Succeeded status if its step is the newest of its run. Idempotent. */
  public synchronized void restore(ProbeEvaluation evaluation) {
    ProbeEvaluationStatus status = evaluation.getStatus();
    if (status == null || status.getPhase() != Phase.Succeeded || status.getResults() == null) {
      return;
    }
    String namespace = evaluation.getMetadata().getNamespace();
    String run = evaluation.getSpec().getCheckpoint().getRun();
    long checkpointStep = evaluation.getSpec().getCheckpoint().getStep();
    if (newest(List.of(namespace, run), checkpointStep)) {
      step.labelValues(namespace, run).set(checkpointStep);
    }
    for (TaskResult result : status.getResults()) {
      if (newest(List.of(namespace, run, result.getTask()), checkpointStep)) {
        predicted.labelValues(namespace, run, result.getTask()).set(result.getPredictedPassAt1());
      }
      if (result.getActualPassAt1() != null
          && newest(List.of(namespace, run, result.getTask(), "actual"), checkpointStep)) {
        actual.labelValues(namespace, run, result.getTask()).set(result.getActualPassAt1());
        probeError.labelValues(namespace, run, result.getTask())
            .set(result.getPredictedPassAt1() - result.getActualPassAt1());
      }
    }
  }

  private boolean newest(List<String> series, long checkpointStep) {
    Long known = stepOfSeries.get(series);
    if (known != null && known > checkpointStep) {
      return false;
    }
    stepOfSeries.put(series, checkpointStep);
    return true;
  }
}
