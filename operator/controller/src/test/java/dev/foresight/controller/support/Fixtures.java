package dev.foresight.controller.support;

import dev.foresight.api.report.EvaluationReport;
import dev.foresight.api.report.ReportCodec;
import dev.foresight.api.v1alpha1.CheckpointSource;
import dev.foresight.api.v1alpha1.CheckpointSummary;
import dev.foresight.api.v1alpha1.Latency;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationSpec;
import dev.foresight.api.v1alpha1.ProbeSource;
import dev.foresight.api.v1alpha1.TaskResult;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;

/** ProbeEvaluations and worker reports for tests. */
public final class Fixtures {
  public static final String RUN = "olmo3-7b";

  private Fixtures() {}

  /** A valid evaluation of step {@code step} of run {@link #RUN}, PVC checkpoint and bundle, tasks given. */
  public static ProbeEvaluation evaluation(String namespace, String name, long step, String... tasks) {
    ProbeEvaluationSpec spec = new ProbeEvaluationSpec();
    spec.setCheckpoint(new CheckpointSource("pvc://checkpoints/" + RUN + "/step" + step, RUN, step));
    spec.setProbe(new ProbeSource("pvc://probes/" + RUN + "/v3"));
    spec.setTasks(tasks.length == 0 ? null : List.of(tasks));
    ProbeEvaluation evaluation = new ProbeEvaluation();
    evaluation.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    evaluation.setSpec(spec);
    return evaluation;
  }

  /** A report as the worker writes it: one result per task with the given predictions. */
  public static EvaluationReport report(List<String> tasks, List<Double> predictions) {
    EvaluationReport report = new EvaluationReport();
    report.setCheckpoint(new CheckpointSummary("sha256:" + "ab".repeat(32), "Olmo3ForCausalLM", 7_298_011_136L));
    List<TaskResult> results = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      double p = predictions.get(i);
      TaskResult r = new TaskResult(tasks.get(i), p, List.of(Math.max(0, p - 0.02), Math.min(1, p + 0.02)), 500);
      r.setAnswerBitsPerByte(0.61);
      results.add(r);
    }
    report.setResults(results);
    Latency latency = new Latency();
    latency.setLoadSeconds(9.8);
    latency.setForwardSeconds(26.0);
    latency.setProbeSeconds(0.3);
    report.setLatency(latency);
    return report;
  }

  /** The termination message of a successful worker. */
  public static String terminationMessage(List<String> tasks, List<Double> predictions) {
    return ReportCodec.encode(report(tasks, predictions));
  }
}
