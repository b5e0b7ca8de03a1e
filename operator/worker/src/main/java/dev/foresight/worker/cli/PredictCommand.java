package dev.foresight.worker.cli;

import dev.foresight.api.v1alpha1.Latency;
import dev.foresight.worker.evaluation.EvaluationResult;
import dev.foresight.worker.evaluation.TaskEvaluation;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code foresight predict}: what {@code evaluate} computes, as a table for a person. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Predict a checkpoint's pass@1 per task with a probe bundle and print a table.")
final class PredictCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin EvaluationOptions evaluation;

  @Option(names = "--output", description = "also write the full per-prompt output (JSON): a path, file://, pvc:// or s3://")
  String output;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    EvaluationResult result = EvaluateCommand.run(evaluation, runtime, output, spec.commandLine().getErr());
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "checkpoint %s  %s  %,d parameters%n", evaluation.checkpoint, result.checkpoint().getArchitecture(),
        result.checkpoint().getParameters());
    out.printf(Locale.ROOT, "probe      %s%n%n", result.probe());
    boolean validated = evaluation.validate;
    out.printf(Locale.ROOT, "%-16s %8s %10s %17s %11s%s%n", "task", "prompts", "predicted", "95% interval", "answer bpb",
        validated ? String.format(Locale.ROOT, " %8s %8s", "actual", "AUROC") : "");
    for (TaskEvaluation t : result.tasks()) {
      out.printf(Locale.ROOT, "%-16s %8d %10.3f   [%5.3f, %5.3f] %11.4f%s%n", t.task(), t.prompts().size(),
          t.predicted().passAt1(), t.predicted().low(), t.predicted().high(), t.answerBitsPerByte(),
          validated ? String.format(Locale.ROOT, " %8.3f %8s", t.actualPassAt1(), TrainCommand.auroc(t.validation())) : "");
    }
    Latency l = result.latency();
    out.printf(Locale.ROOT, "%nlatency    load %.2f s, forward %.2f s, probe %.3f s%s%n", l.getLoadSeconds(),
        l.getForwardSeconds(), l.getProbeSeconds(),
        l.getGenerativeSeconds() == null ? "" : String.format(Locale.ROOT, ", generative %.2f s", l.getGenerativeSeconds()));
    return 0;
  }
}
