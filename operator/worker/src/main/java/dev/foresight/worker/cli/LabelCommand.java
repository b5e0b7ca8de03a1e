package dev.foresight.worker.cli;

import dev.foresight.api.StorageUri;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.evaluation.ContextDemand;
import dev.foresight.worker.evaluation.LoadedCheckpoint;
import dev.foresight.worker.labels.LabelHeader;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.LabelShard;
import dev.foresight.worker.labels.ShardFile;
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
        "With --shard I --shards N it labels every N-th prompt from the I-th on and writes <output>.shard-I-of-N whole"
            + " when done (a finished shard is not labelled again); label-merge joins the shards into <output>.",
        "With --import lm-eval, the outcomes come from lm-evaluation-harness sample logs instead (see the README)."})
final class LabelCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--checkpoint", required = true, description = "checkpoint directory, file://, pvc:// or s3://")
  String checkpoint;

  @Mixin TaskOptions tasks;

  @Option(names = "--output", required = true,
      description = "the label file to write or continue (JSONL); with --shard, the merged file the shard is part of"
          + " (a path, file://, pvc:// or s3://)")
  String output;

  @Mixin ShardOptions sharding;

  @Option(names = "--samples", defaultValue = "" + LabelSettings.DEFAULT_SAMPLES, description = "samples per prompt (default: ${DEFAULT-VALUE})")
  int samples;

  @Option(names = "--temperature", defaultValue = "" + LabelSettings.DEFAULT_TEMPERATURE, description = "0 for greedy (default: ${DEFAULT-VALUE})")
  double temperature;

  @Option(names = "--top-p", defaultValue = "" + LabelSettings.DEFAULT_TOP_P, description = "nucleus sampling; 1 keeps every token (default: ${DEFAULT-VALUE})")
  double topP;

  @Option(names = "--max-new-tokens", defaultValue = "" + LabelSettings.DEFAULT_MAX_NEW_TOKENS, description = "tokens per sample at most (default: ${DEFAULT-VALUE})")
  int maxNewTokens;

  @Option(names = "--seed", defaultValue = "" + LabelSettings.DEFAULT_SEED, description = "the same seed gives the same labels (default: ${DEFAULT-VALUE})")
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
        if (sharding.of(catalog) != null) {
          throw WorkerException.invalidArguments("--import and --shard do not go together: an import reads every"
              + " prompt's outcomes from the logs at once");
        }
        Path file = wholeFile();
        writeSummary(lmEval.importLabels(storage, catalog, checkpoint, file, settings, out), file, out);
        return 0;
      }
      LabelShard part = sharding.of(catalog);
      ShardFile shardFile = part == null ? null : new ShardFile(storage, part.locationFor(output));
      Path file = part == null ? wholeFile() : shardFile.workFile();
      long prompts = part == null ? catalog.promptCount() : part.size();
      try (LoadedCheckpoint ckpt = LoadedCheckpoint.load(storage, checkpoint, runtime.devices(), runtime.dataType(),
          ContextDemand.withGeneration(catalog, settings.maxNewTokens())::check)) {
        LabelHeader header = LabelHeader.of(ckpt.fingerprint(), checkpoint, settings, catalog);
        if (part != null && shardFile.alreadyLabelled(header.forShard(part), out)) {
          return 0;
        }
        Labeller.FileRun run;
        try (ProgressBar bar = ProgressBar.onStderr("label", "prompts", prompts)) {
          run = new Labeller(ckpt.model(), ckpt.tokenizer()).labelFile(file, part == null ? header : header.forShard(part),
              catalog, settings, runtime.batchSize(), stopAfter == null ? Long.MAX_VALUE : stopAfter, bar);
        }
        out.printf(Locale.ROOT, "%d prompts labelled now, %d before; %d of %d done%n", run.labelled(), run.before(),
            run.labels().count(), prompts);
        if (run.labels().count() < prompts) {
          out.println("stopped early: run the same command again to continue");
          return 0;
        }
        if (part != null) {
          shardFile.publish(out);
          return 0;
        }
        writeSummary(LabelSummary.of(run.labels(), catalog, new LabelSummary.Timing(run.seconds(), run.labelled())), file, out);
      }
    }
    return 0;
  }

  /** A whole label file grows line by line where it will stay (that is what makes it resumable), so it is local. */
  private Path wholeFile() {
    StorageUri uri = Storage.parse("--output", output);
    if (uri.scheme() != StorageUri.Scheme.FILE) {
      throw WorkerException.invalidArguments("--output " + output + ": a whole label file is written locally, line by"
          + " line, so that an interrupted run resumes; to label into storage, use --shard/--shards and label-merge");
    }
    return Path.of(uri.path());
  }

  private void writeSummary(LabelSummary summary, Path output, PrintWriter out) throws java.io.IOException {
    out.printf(Locale.ROOT, "%-16s %8s %8s %10s%n", "task", "prompts", "samples", "pass@1");
    summary.actualPassAt1().forEach((task, t) ->
        out.printf(Locale.ROOT, "%-16s %8d %8d %10.3f%n", task, t.prompts(), t.samples(), t.passAt1()));
    Path file = LabelSummary.pathFor(output);
    summary.write(file);
    out.println("labels: " + output + ", summary: " + file);
  }
}
