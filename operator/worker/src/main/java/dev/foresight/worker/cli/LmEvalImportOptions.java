package dev.foresight.worker.cli;

import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.LabelSummary;
import dev.foresight.worker.labels.lmeval.LmEvalImport;
import dev.foresight.worker.labels.lmeval.MatchBy;
import dev.foresight.worker.labels.lmeval.MetricChoice;
import dev.foresight.worker.labels.lmeval.StoredLogImport;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code foresight label --import lm-eval}: labels from lm-evaluation-harness sample logs instead of
 * generating ({@link StoredLogImport}).
 */
final class LmEvalImportOptions {
  static final String LM_EVAL = "lm-eval";

  @Option(names = "--import", paramLabel = "SOURCE",
      description = "take the outcomes from existing results instead of generating: " + LM_EVAL
          + " (lm-evaluation-harness --log_samples output)")
  String source;

  @Option(names = "--samples-log", split = ",", paramLabel = "PATH",
      description = "with --import: samples_<task>_<timestamp>.jsonl files or folders of them; local paths, file://,"
          + " pvc:// or s3://")
  List<String> samplesLogs = List.of();

  @Option(names = "--match", defaultValue = "prompt", paramLabel = "HOW",
      description = "with --import: prompt (the logged prompt equals the task file's, whitespace at the ends aside) or"
          + " doc-id (the task file's ids are lm-eval doc ids) (default: ${DEFAULT-VALUE})")
  String match;

  @Option(names = "--metric", split = ",", paramLabel = "METRIC|TASK=METRIC",
      description = "with --import: the sample field that is the outcome, for every task or per task (default: "
          + MetricChoice.DEFAULT + ")")
  List<String> metric = List.of();

  @Option(names = "--lm-eval-filter", paramLabel = "FILTER",
      description = "with --import: the lm-eval filter whose outcomes to read, when a log holds several"
          + " (e.g. strict-match)")
  String filter;

  @Option(names = "--min-coverage", defaultValue = "" + LmEvalImport.Options.MIN_COVERAGE,
      description = "with --import: the share of each task's prompts the logs must match (default: ${DEFAULT-VALUE})")
  double minCoverage;

  boolean requested() {
    if (source == null && !samplesLogs.isEmpty()) {
      throw new IllegalArgumentException("--samples-log is read only with --import " + LM_EVAL);
    }
    return source != null;
  }

  /**
   * Imports the logs into {@code output} and prints per task what matched.
   *
   * @return the summary to write beside the label file
   */
  LabelSummary importLabels(Storage storage, TaskCatalog catalog, String checkpoint, Path output,
      LabelSettings given, PrintWriter out) throws IOException {
    if (!LM_EVAL.equals(source)) {
      throw new IllegalArgumentException("--import must be " + LM_EVAL + ", got '" + source + "'");
    }
    if (samplesLogs.isEmpty()) {
      throw new IllegalArgumentException("--import " + LM_EVAL + " needs --samples-log");
    }
    LmEvalImport.Options options = new LmEvalImport.Options(MatchBy.fromCliName(match), MetricChoice.parse(metric),
        filter, minCoverage);
    return StoredLogImport.run(storage, catalog, checkpoint, samplesLogs, options, given, output, out);
  }
}
