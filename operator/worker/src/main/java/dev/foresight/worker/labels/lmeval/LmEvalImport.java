package dev.foresight.worker.labels.lmeval;

import dev.foresight.worker.WorkerException;
import dev.foresight.worker.labels.LabelFile;
import dev.foresight.worker.labels.LabelHeader;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.PromptLabel;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads lm-evaluation-harness sample logs into labels of our task set, and writes them as a label
 * file. All or nothing: any bad line, or a task whose prompts are matched below the coverage
 * threshold, fails the import before anything is written.
 */
public final class LmEvalImport {
  /** Problems listed in one error message; the rest are counted. */
  static final int PROBLEMS_SHOWN = 20;

  /**
   * @param match how a logged document finds its prompt
   * @param metric the outcome field, per task
   * @param filter the lm-eval filter whose outcomes to read, or null when each log holds one
   * @param minCoverage the share of each task's prompts that must be matched
   */
  public record Options(MatchBy match, MetricChoice metric, String filter, double minCoverage) {
    public static final double MIN_COVERAGE = 0.9;

    public Options {
      if (!(minCoverage >= 0 && minCoverage <= 1)) {
        throw new IllegalArgumentException("--min-coverage must be in [0, 1], got " + minCoverage);
      }
    }
  }

  /**
   * @param tasks per task of the catalog, in its order
   * @param skipped sample logs of tasks not in the catalog
   */
  public record Result(List<ImportedTask> tasks, List<SampleLog> skipped) {

    /** The most responses any prompt got: the label file's sample count. */
    public int samples() {
      return tasks.stream().flatMap(t -> t.labels().stream()).mapToInt(PromptLabel::samples).max().orElse(1);
    }
  }

  private LmEvalImport() {}

  /**
   * Reads every log of a catalog task and matches it to the task's prompts.
   *
   * @throws WorkerException (invalid arguments) listing the bad lines, or the tasks below
   *     {@code minCoverage} with their counts and unmatched examples
   */
  public static Result read(TaskCatalog catalog, List<SampleLog> logs, Options options) {
    List<String> problems = new ArrayList<>();
    Map<String, TaskImport> imports = new LinkedHashMap<>();
    for (TaskSet set : catalog.sets()) {
      imports.put(set.name(), new TaskImport(set, options.match(), options.filter(), problems));
    }
    List<SampleLog> skipped = new ArrayList<>();
    for (SampleLog log : logs) {
      TaskImport task = imports.get(log.task());
      if (task == null) {
        skipped.add(log);
      } else {
        log.read(options.metric().forTask(log.task()), s -> task.add(log.file(), s, problems), problems);
      }
    }
    List<ImportedTask> tasks = imports.values().stream().map(t -> t.finish(problems)).toList();
    failOn(problems, "the sample logs cannot be imported");
    requireCoverage(tasks, options.minCoverage(), String.format(Locale.ROOT,
        "the sample logs match too few prompts (--min-coverage %.2f)", options.minCoverage()));
    return new Result(tasks, skipped);
  }

  /**
   * Every task must have labels for at least {@code minCoverage} of its prompts (and some).
   *
   * @param what the failure's first words: what matched too few prompts, and the threshold's name
   * @throws WorkerException (invalid arguments) listing each task below it with its counts and examples
   */
  public static void requireCoverage(List<ImportedTask> tasks, double minCoverage, String what) {
    List<String> problems = new ArrayList<>();
    for (ImportedTask t : tasks) {
      if (t.labels().isEmpty() || t.coverage() < minCoverage) {
        problems.add("task " + t.task() + ": " + t.describe());
      }
    }
    failOn(problems, what);
  }

  private static void failOn(List<String> problems, String what) {
    if (problems.isEmpty()) {
      return;
    }
    List<String> shown = problems.subList(0, Math.min(PROBLEMS_SHOWN, problems.size()));
    String more = problems.size() > shown.size() ? "\n  … and " + (problems.size() - shown.size()) + " more" : "";
    throw WorkerException.invalidArguments(what + ":\n  " + String.join("\n  ", shown) + more);
  }

  /**
   * The header of the imported label file: the checkpoint the logs were made on, the task set, and
   * the sampling settings as given, with the sample count the logs hold.
   */
  public static LabelHeader header(Result result, String fingerprint, String location, LabelSettings given,
      TaskCatalog catalog) {
    LabelSettings settings = new LabelSettings(result.samples(), given.temperature(), given.topP(), given.maxNewTokens(),
        given.seed());
    return LabelHeader.of(fingerprint, location, settings, catalog);
  }

  /** What {@link #write} did. */
  public enum Written { CREATED, UNCHANGED }

  /**
   * Writes the label file in full beside {@code output} and then renames it into place, so a
   * reader never sees half of it. An existing file is kept: the same labels leave it as it is (a
   * re-run import, in this process or another), others are refused.
   *
   * @throws WorkerException (invalid arguments) when {@code output} holds other labels
   */
  public static Written write(Result result, LabelHeader header, Path output) throws IOException {
    Path dir = output.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + output.getFileName(), ".tmp");
    try {
      try (LabelFile file = LabelFile.open(tmp, header)) {
        result.tasks().forEach(t -> t.labels().forEach(file::append));
      }
      if (Files.exists(output)) {
        // Compared as labels, not bytes: the header's task map is written in an order that may
        // differ from one JVM to the next.
        if (LabelFile.read(output).equals(LabelFile.read(tmp))) {
          return Written.UNCHANGED;
        }
        throw WorkerException.invalidArguments("label file " + output + " exists and holds other labels:"
            + " choose another --output or delete it");
      }
      Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE);
      return Written.CREATED;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
