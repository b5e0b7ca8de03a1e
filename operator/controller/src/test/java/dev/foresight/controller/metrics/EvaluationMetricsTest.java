package dev.foresight.controller.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.foresight.api.report.ReportCodec;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.controller.observe.WorkerState;
import dev.foresight.controller.status.NextStatus;
import dev.foresight.controller.support.Fixtures;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationMetricsTest {
  static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

  static ProbeEvaluation succeeded(long step, double gsm8k, Double actual) {
    ProbeEvaluation e = Fixtures.evaluation("pretrain", "step-" + step, step, "gsm8k");
    e.getMetadata().setCreationTimestamp("2026-01-01T09:59:00Z");
    var report = Fixtures.report(List.of("gsm8k"), List.of(gsm8k));
    report.getResults().get(0).setActualPassAt1(actual);
    e.setStatus(NextStatus.of(e, NOW)
        .observed("j", new WorkerState.Completed(ReportCodec.encode(report), NOW.minusSeconds(30), NOW), List.of("gsm8k"))
        .build());
    return e;
  }

  static List<String> samples(PrometheusRegistry registry, String name) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(name + "{")).toList();
  }

  @Test
  void theNewestStepOfARunWinsWhateverTheOrder() throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    EvaluationMetrics metrics = new EvaluationMetrics(registry);
    metrics.restore(succeeded(3000, 0.5, 0.48));
    metrics.restore(succeeded(1000, 0.2, 0.1));
    metrics.restore(succeeded(2000, 0.4, null));
    assertEquals(List.of("foresight_predicted_pass_at_1{namespace=\"pretrain\",run=\"olmo3-7b\",task=\"gsm8k\"} 0.5"),
        samples(registry, MetricNames.PREDICTED_PASS_AT_1));
    assertEquals(List.of("foresight_actual_pass_at_1{namespace=\"pretrain\",run=\"olmo3-7b\",task=\"gsm8k\"} 0.48"),
        samples(registry, MetricNames.ACTUAL_PASS_AT_1));
    // The error pairs the prediction and measurement of the same (validated) step, 3000.
    assertEquals(1, samples(registry, MetricNames.PROBE_ERROR).size());
    assertEquals(0.02, Double.parseDouble(samples(registry, MetricNames.PROBE_ERROR).get(0).split(" ")[1]), 1e-12);
    assertEquals(List.of("foresight_checkpoint_step{namespace=\"pretrain\",run=\"olmo3-7b\"} 3000.0"),
        samples(registry, MetricNames.CHECKPOINT_STEP));
    assertEquals(List.of(), samples(registry, MetricNames.EVALUATIONS_TOTAL), "restoring counts nothing");
  }

  @Test
  void aFinishedEvaluationIsCountedWithItsStages() throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    EvaluationMetrics metrics = new EvaluationMetrics(registry);
    metrics.finished(succeeded(1000, 0.3, null));
    ProbeEvaluation failed = Fixtures.evaluation("pretrain", "step-2000", 2000);
    failed.setStatus(NextStatus.of(failed, NOW).failed(dev.foresight.api.v1alpha1.Reason.OOMKilled, "oom", NOW).build());
    metrics.finished(failed);
    assertEquals(List.of(
            "foresight_evaluations_total{namespace=\"pretrain\",result=\"OOMKilled\"} 1.0",
            "foresight_evaluations_total{namespace=\"pretrain\",result=\"Succeeded\"} 1.0"),
        samples(registry, MetricNames.EVALUATIONS_TOTAL).stream().sorted().toList());
    assertEquals(List.of("foresight_evaluation_duration_seconds_count{stage=\"forward\"} 1",
            "foresight_evaluation_duration_seconds_count{stage=\"load\"} 1",
            "foresight_evaluation_duration_seconds_count{stage=\"probe\"} 1",
            "foresight_evaluation_duration_seconds_count{stage=\"queued\"} 1",
            "foresight_evaluation_duration_seconds_count{stage=\"total\"} 1"),
        samples(registry, MetricNames.EVALUATION_DURATION_SECONDS + "_count").stream().sorted().toList());
    assertEquals(List.of("foresight_evaluation_duration_seconds_sum{stage=\"total\"} 60.0"),
        samples(registry, MetricNames.EVALUATION_DURATION_SECONDS + "_sum").stream()
            .filter(l -> l.contains("total")).toList(), "creation 09:59:00 to finish 10:00:00");
  }

  @Test
  void probeErrorStaysWithTheValidatedStepWhenANewerProbeOnlyStepArrives() throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    EvaluationMetrics metrics = new EvaluationMetrics(registry);
    metrics.restore(succeeded(1000, 0.30, 0.45));
    metrics.restore(succeeded(2000, 0.80, null));
    assertEquals(List.of("foresight_predicted_pass_at_1{namespace=\"pretrain\",run=\"olmo3-7b\",task=\"gsm8k\"} 0.8"),
        samples(registry, MetricNames.PREDICTED_PASS_AT_1));
    assertEquals(-0.15, Double.parseDouble(samples(registry, MetricNames.PROBE_ERROR).get(0).split(" ")[1]), 1e-12,
        "the error of step 1000, not 0.80 - 0.45");
  }
}
