package dev.foresight.controller.metrics;

import dev.foresight.api.v1alpha1.ProbeTraining;
import dev.foresight.api.v1alpha1.TrainingStage;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The ProbeTraining metrics, never labelled per resource. Counters and the histogram count events
 * once, in the process whose status write recorded them (restart semantics as in
 * {@link EvaluationMetrics}); the in-progress gauge is read at scrape time from the operator's cache
 * of trainings, so a restart loses nothing.
 */
public final class TrainingMetrics {
  /** From ten seconds to two days: a check takes seconds, labelling many checkpoints takes hours. */
  private static final double[] DURATION_BUCKETS =
      {10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400, 28800, 86400, 172800};

  private final Counter trainings;
  private final Histogram stageDuration;

  public TrainingMetrics(PrometheusRegistry registry) {
    trainings = Counter.builder().name(MetricNames.TRAININGS_TOTAL)
        .help("Finished ProbeTrainings by result: Succeeded or the failure reason")
        .labelNames("namespace", "result").register(registry);
    stageDuration = Histogram.builder().name(MetricNames.TRAINING_STAGE_DURATION_SECONDS)
        .help("Seconds each finished ProbeTraining stage took: checking, labelling, extracting, training")
        .labelNames("stage").classicOnly().classicUpperBounds(DURATION_BUCKETS).register(registry);
  }

  /** Exports how many trainings are under way, counted at scrape time. */
  public static void watch(PrometheusRegistry registry, LongSupplier inProgress) {
    GaugeWithCallback.builder().name(MetricNames.TRAININGS_IN_PROGRESS)
        .help("ProbeTrainings not yet Succeeded or Failed")
        .callback(cb -> cb.call(inProgress.getAsLong())).register(registry);
  }

  /** A stage finished and the next began (or the training succeeded); call after the status write. */
  public void stageFinished(TrainingStage stage, Duration took) {
    stageDuration.labelValues(stage.name().toLowerCase(Locale.ROOT)).observe(Math.max(0, took.toMillis() / 1000.0));
  }

  /** Call once per training, right after its final status was written; {@code result} is Succeeded or the reason. */
  public void finished(ProbeTraining training, String result) {
    trainings.labelValues(training.getMetadata().getNamespace(), result).inc();
  }
}
