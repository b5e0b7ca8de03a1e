package dev.foresight.controller.metrics;

import java.util.List;
import java.util.stream.Stream;

/**
 * The names of every metric the controller exports, as Prometheus shows them. Alert rules and the
 * dashboard may only use these (a chart test checks it). Labels are per run and task, never per
 * resource, so cardinality stays bounded.
 */
public final class MetricNames {
  /** Gauge {namespace, run, task}: the newest step's predicted pass@1. */
  public static final String PREDICTED_PASS_AT_1 = "foresight_predicted_pass_at_1";
  /** Gauge {namespace, run, task}: measured pass@1 of validation runs. */
  public static final String ACTUAL_PASS_AT_1 = "foresight_actual_pass_at_1";
  /**
   * Gauge {namespace, run, task}: predicted minus measured pass@1 of the newest validation run.
   * Both numbers describe the same checkpoint, which the two gauges above need not (a probe-only
   * run of a newer step moves the prediction but not the measurement): alert on this one.
   */
  public static final String PROBE_ERROR = "foresight_probe_error";
  /** Gauge {namespace, run}: the step of the newest evaluated checkpoint. */
  public static final String CHECKPOINT_STEP = "foresight_checkpoint_step";
  /** Histogram {stage}: queued, load, forward, probe, generative, total. */
  public static final String EVALUATION_DURATION_SECONDS = "foresight_evaluation_duration_seconds";
  /** Counter {namespace, result}: finished evaluations by reason (Succeeded or a failure reason). */
  public static final String EVALUATIONS_TOTAL = "foresight_evaluations_total";
  /** Gauge: evaluations with a live Job. */
  public static final String EVALUATIONS_IN_FLIGHT = "foresight_evaluations_in_flight";
  /** Gauge: evaluations waiting for a slot (max in flight reached). */
  public static final String EVALUATIONS_QUEUED = "foresight_evaluations_queued";
  /** Counter {resource, result} and histogram: JOSDK reconciliations, through its Metrics interface. */
  public static final String RECONCILIATIONS_TOTAL = "foresight_reconciliations_total";
  public static final String RECONCILIATION_DURATION_SECONDS = "foresight_reconciliation_duration_seconds";

  /** Gauge {namespace, monitor, run}: the highest ready step a ProbeMonitor has seen. */
  public static final String MONITOR_LAST_SEEN_STEP = "foresight_monitor_last_seen_step";
  /** Gauge {namespace, monitor, run}: the highest step a ProbeMonitor has given an evaluation. */
  public static final String MONITOR_LAST_EVALUATED_STEP = "foresight_monitor_last_evaluated_step";
  /** Gauge {namespace, monitor, run}: ready, chosen checkpoints not yet given an evaluation. */
  public static final String MONITOR_PENDING_CHECKPOINTS = "foresight_monitor_pending_checkpoints";
  /** Gauge {namespace, monitor, run}: 1 while the monitor is Stalled, else 0. */
  public static final String MONITOR_STALLED = "foresight_monitor_stalled";
  /** Counter {namespace, monitor, run}: scans that failed or whose report was refused. */
  public static final String MONITOR_SCAN_FAILURES_TOTAL = "foresight_monitor_scan_failures_total";
  /** Counter {namespace, monitor, run, result}: a monitor's evaluations finished, result succeeded or failed. */
  public static final String MONITOR_EVALUATIONS_TOTAL = "foresight_monitor_evaluations_total";

  /** Histogram {stage}: seconds a ProbeTraining stage took, per finished stage: checking, labelling, extracting, training. */
  public static final String TRAINING_STAGE_DURATION_SECONDS = "foresight_training_stage_duration_seconds";
  /** Counter {namespace, result}: finished trainings by result (Succeeded or the failure reason). */
  public static final String TRAININGS_TOTAL = "foresight_trainings_total";
  /** Gauge: ProbeTrainings not yet Succeeded or Failed. */
  public static final String TRAININGS_IN_PROGRESS = "foresight_trainings_in_progress";

  /** The ProbeTraining controller's series. */
  public static final List<String> TRAINING = List.of(TRAINING_STAGE_DURATION_SECONDS, TRAININGS_TOTAL,
      TRAININGS_IN_PROGRESS);

  /** The ProbeMonitor controller's series, labelled {namespace, monitor, run}. */
  public static final List<String> MONITOR = List.of(MONITOR_LAST_SEEN_STEP, MONITOR_LAST_EVALUATED_STEP,
      MONITOR_PENDING_CHECKPOINTS, MONITOR_STALLED, MONITOR_SCAN_FAILURES_TOTAL, MONITOR_EVALUATIONS_TOTAL);

  public static final List<String> ALL = Stream.concat(Stream.of(
      PREDICTED_PASS_AT_1, ACTUAL_PASS_AT_1, PROBE_ERROR, CHECKPOINT_STEP, EVALUATION_DURATION_SECONDS,
      EVALUATIONS_TOTAL, EVALUATIONS_IN_FLIGHT, EVALUATIONS_QUEUED, RECONCILIATIONS_TOTAL,
      RECONCILIATION_DURATION_SECONDS), Stream.concat(MONITOR.stream(), TRAINING.stream())).toList();

  private MetricNames() {}
}
