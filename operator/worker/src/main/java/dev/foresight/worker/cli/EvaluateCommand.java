package dev.foresight.worker.cli;

import dev.foresight.api.report.ReportCodec;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.evaluation.EvaluationResult;
import dev.foresight.worker.evaluation.Evaluator;
import dev.foresight.worker.evaluation.LoadedCheckpoint;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.report.ReportFile;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foresight evaluate}: the pod's entrypoint. Checkpoint + probe bundle → predicted pass@1
 * per task with its interval, answer bits per byte, latency, fingerprint; the report goes to
 * {@code --report-file} (the pod's termination message, at most 4096 bytes), the per-prompt
 * output to {@code --output}. On failure the report file gets the error message instead, and the
 * exit code tells the controller the reason (2 invalid arguments, 3 checkpoint, 4 incompatible probe).
 */
@Command(name = WorkerCommand.SUBCOMMAND, mixinStandardHelpOptions = true, sortOptions = false,
    description = "Predict a checkpoint's pass@1 per task with a probe bundle and write the report (the pod entrypoint).")
final class EvaluateCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin EvaluationOptions evaluation;

  @Option(names = WorkerCommand.REPORT_FILE,
      description = "where the report goes (the pod passes " + WorkerCommand.TERMINATION_LOG + "); default: standard output")
  Path reportFile;

  @Option(names = WorkerCommand.OUTPUT, description = "the full per-prompt output (JSON): a path, file://, pvc:// or s3://")
  String output;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    return ReportFile.orFailure(reportFile, () -> {
      EvaluationResult result = run(evaluation, runtime, output, spec.commandLine().getErr());
      if (reportFile == null) {
        spec.commandLine().getOut().println(ReportCodec.encode(result.toReport()));
      } else {
        ReportFile.writeReport(reportFile, result.toReport());
      }
      return 0;
    });
  }

  /**
   * Fetches, loads, evaluates and writes the --output file: shared with {@code predict}. What the
   * user should know about the bundle's intervals goes to {@code err}.
   */
  static EvaluationResult run(EvaluationOptions evaluation, RuntimeOptions runtime, String output, PrintWriter err)
      throws Exception {
    try (Storage storage = Storage.fromEnvironment()) {
      ProbeBundle bundle = ProbeBundle.read(storage.fetch(evaluation.probe, Purpose.PROBE_BUNDLE));
      bundle.tasks(evaluation.tasks); // a task the bundle lacks fails here, before minutes of loading
      String note = Evaluator.intervalNote(bundle.manifest());
      if (note != null) {
        err.println("foresight: " + note);
      }
      EvaluationResult result;
      try (LoadedCheckpoint ckpt = LoadedCheckpoint.load(storage, evaluation.checkpoint, runtime.devices(),
          runtime.dataType(), Evaluator.beforeWeights(bundle, evaluation.tasks, evaluation.validation()))) {
        result = Evaluator.evaluate(ckpt, evaluation.step(ckpt.checkpoint()), bundle, evaluation.tasks,
            runtime.batchSize(), evaluation.validation(), ProgressBar.Factory.STDERR);
      }
      if (output != null) {
        Path tmp = Files.createTempFile("foresight-output", ".json");
        try {
          result.writeJson(tmp);
          storage.store(tmp, output);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      return result;
    }
  }
}
