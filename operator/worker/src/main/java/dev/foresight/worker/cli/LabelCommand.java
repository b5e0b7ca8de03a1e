package dev.foresight.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.foresight.worker.evaluation.LoadedCheckpoint;
import dev.foresight.worker.labels.LabelFile;
import dev.foresight.worker.labels.LabelHeader;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.Labeller;
import dev.foresight.worker.labels.Labels;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.scoring.Outcomes;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskSet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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
        "Resumable: run the same command again after an interruption and it continues with the prompts not yet done."})
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
      try (LoadedCheckpoint ckpt = LoadedCheckpoint.load(storage, checkpoint, runtime.device(), runtime.dataType())) {
        Map<String, String> hashes = new LinkedHashMap<>();
        catalog.sets().forEach(s -> hashes.put(s.name(), s.promptSetHash()));
        LabelHeader header = new LabelHeader(LabelHeader.FORMAT, ckpt.fingerprint(), checkpoint, settings, hashes);
        long labelled;
        int before;
        try (LabelFile file = LabelFile.open(output, header);
            ProgressBar bar = ProgressBar.onStderr("label", "prompts", catalog.promptCount())) {
          before = file.doneCount();
          labelled = new Labeller(ckpt.model(), ckpt.tokenizer()).label(catalog, settings, runtime.batchSize(),
              file::isDone, file::append, stopAfter == null ? Long.MAX_VALUE : stopAfter, bar);
        }
        Labels labels = LabelFile.read(output);
        int total = labels.byTask().values().stream().mapToInt(java.util.List::size).sum();
        out.printf(Locale.ROOT, "%d prompts labelled now, %d before; %d of %d done%n", labelled, before, total,
            catalog.promptCount());
        if (total < catalog.promptCount()) {
          out.println("stopped early: run the same command again to continue");
          return 0;
        }
        writeSummary(labels, catalog, out);
      }
    }
    return 0;
  }

  private void writeSummary(Labels labels, TaskCatalog catalog, PrintWriter out) throws java.io.IOException {
    Map<String, Object> summary = new LinkedHashMap<>();
    out.printf(Locale.ROOT, "%-16s %8s %8s %10s%n", "task", "prompts", "samples", "pass@1");
    for (TaskSet set : catalog.sets()) {
      Outcomes o = labels.outcomes(set.name());
      out.printf(Locale.ROOT, "%-16s %8d %8d %10.3f%n", set.name(), o.prompts(), o.totalSamples(), o.passAt1());
      Map<String, Object> task = new LinkedHashMap<>();
      task.put("prompts", o.prompts());
      task.put("samples", o.totalSamples());
      task.put("passAt1", o.passAt1());
      summary.put(set.name(), task);
    }
    Path file = summaryPath(output);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("checkpoint", labels.header().checkpoint());
    json.put("actualPassAt1", summary);
    Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n");
    out.println("labels: " + output + ", summary: " + file);
  }

  /** {@code labels.jsonl} → {@code labels.summary.json}. */
  static Path summaryPath(Path output) {
    String name = output.getFileName().toString();
    String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
    return output.resolveSibling(stem + ".summary.json");
  }
}
