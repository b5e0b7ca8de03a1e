package dev.foresight.worker.cli;

import dev.foresight.worker.evaluation.ContextDemand;
import dev.foresight.worker.evaluation.LoadedCheckpoint;
import dev.foresight.worker.labels.LabelHeader;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.LabelSummary;
import dev.foresight.worker.labels.Labeller;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foresight label}: the generative evaluation of one checkpoint, the probes' ground truth.
 * Writes one JSONL line per prompt as it finishes, so an interrupted run continues where it
 * stopped when started again with the same arguments.
 */
@Command(name = "label", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Generate n samples per prompt, check each answer, and write per-sample outcomes and per-prompt"
        + " pass rates (JSONL) and actual pass@1 per task (<output>.summary.json).",
        "Resumable: run the same command again after an interruption and it continues with the prompts not yet done.",
        "With --import lm-eval, the outcomes come from lm-evaluation-harness sample logs instead (see the README)."})
final class LabelCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--checkpoint", required = true, description = "checkpoint directory, file://, pvc:// or s3://")
  String checkpoint;

  @Mixin TaskOptions tasks;

  @Option(names = "--output", required = true, description = "the label file to write or continue (JSONL)")
  Path output;

  @Option(names = "--samples", defaultValue = "4", description = "samples per prompt (default: ${DEFAULT-VALUE})")
  int samples;

  @Option(names = "--temperature", defaultValue = "0.6", description = "0 for greedy (default: ${DEFAULT-VALUE})")
  double temperature;

  @Option(names = "--top-p", defaultValue = "1.0", description = "nucleus sampling; 1 keeps every token (default: ${DEFAULT-VALUE})")
  double topP;

  @Option(names = "--max-new-tokens", defaultValue = "64", description = "tokens per sample at most (default: ${DEFAULT-VALUE})")
  int maxNewTokens;

  @Option(names = "--seed", defaultValue = "0", description = "the same seed gives the same labels (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--stop-after", paramLabel = "N",
      description = "stop after labelling N more prompts (in whole chunks of " + Labeller.PROMPTS_PER_CHUNK
          + "); run again to continue")
  Long stopAfter;

  @Mixin RuntimeOptions runtime;

  @Mixin LmEvalImportOptions lmEval;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    LabelSettings settings;
    try {
      settings = new LabelSettings(samples, temperature, topP, maxNewTokens, seed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + e.getMessage());
    }
    try (Storage storage = Storage.fromEnvironment()) {
      TaskCatalog catalog = tasks.read(storage);
      if (lmEval.requested()) {
        writeSummary(lmEval.importLabels(storage, catalog, checkpoint, output, settings, out), out);
        return 0;
      }
      try (LoadedCheckpoint ckpt = LoadedCheckpoint.load(storage, checkpoint, runtime.device(), runtime.dataType(),
          ContextDemand.withGeneration(catalog, settings.maxNewTokens())::check)) {
        LabelHeader header = LabelHeader.of(ckpt.fingerprint(), checkpoint, settings, catalog);
        Labeller.FileRun run;
        try (ProgressBar bar = ProgressBar.onStderr("label", "prompts", catalog.promptCount())) {
          run = new Labeller(ckpt.model(), ckpt.tokenizer()).labelFile(output, header, catalog, settings,
              runtime.batchSize(), stopAfter == null ? Long.MAX_VALUE : stopAfter, bar);
        }
        out.printf(Locale.ROOT, "%d prompts labelled now, %d before; %d of %d done%n", run.labelled(), run.before(),
            run.labels().count(), catalog.promptCount());
        if (run.labels().count() < catalog.promptCount()) {
          out.println("stopped early: run the same command again to continue");
          return 0;
        }
        writeSummary(LabelSummary.of(run.labels(), catalog, new LabelSummary.Timing(run.seconds(), run.labelled())), out);
      }
    }
    return 0;
  }

  private void writeSummary(LabelSummary summary, PrintWriter out) throws java.io.IOException {
    out.printf(Locale.ROOT, "%-16s %8s %8s %10s%n", "task", "prompts", "samples", "pass@1");
    summary.actualPassAt1().forEach((task, t) ->
        out.printf(Locale.ROOT, "%-16s %8d %8d %10.3f%n", task, t.prompts(), t.samples(), t.passAt1()));
    Path file = LabelSummary.pathFor(output);
    summary.write(file);
    out.println("labels: " + output + ", summary: " + file);
  }
}
