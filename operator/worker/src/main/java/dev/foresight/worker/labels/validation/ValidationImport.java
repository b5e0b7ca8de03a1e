package dev.foresight.worker.labels.validation;

import dev.foresight.worker.WorkerException;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.labels.LabelHeader;
import dev.foresight.worker.labels.PromptLabel;
import dev.foresight.worker.labels.lmeval.ImportedTask;
import dev.foresight.worker.labels.lmeval.LmEvalImport;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One checkpoint's labels from its validated evaluation's output: each prompt of the training's
 * task files takes the outcome the output records under the same task and prompt id. Prompts with
 * no outcome are counted, and a task below the coverage threshold fails as an lm-eval import does
 * (the same counts and checks, {@link LmEvalImport#requireCoverage}); the label file is written as
 * that import writes it, whole or not at all.
 */
public final class ValidationImport {
  /** Outcomes of prompts not in our task file named in messages, per task. */
  static final int EXAMPLES = 3;

  private ValidationImport() {}

  /**
   * Imports the output at {@code location} (which must exist) into the label file {@code labelFile}.
   *
   * @param checkpoint the labelled checkpoint, opened for its fingerprint only (no weight is read),
   *     which the output's must equal
   * @throws WorkerException (invalid arguments) for an unreadable output, one of another checkpoint,
   *     one without outcomes, or a task covered below {@code minCoverage}
   */
  public static LmEvalImport.Written run(Storage storage, TaskCatalog catalog, String checkpoint, String location,
      double minCoverage, Path labelFile, PrintWriter out) throws IOException {
    ValidationOutput output = ValidationOutput.read(storage.fetch(location, Purpose.INPUT), location);
    if (!output.validated()) {
      throw WorkerException.invalidArguments("validation output " + location + " holds no generative outcome: it was"
          + " written by an evaluation without validation");
    }
    String fingerprint;
    try (Checkpoint c = Checkpoint.open(storage.fetch(checkpoint, Purpose.CHECKPOINT))) {
      fingerprint = c.fingerprint();
    }
    if (!fingerprint.equals(output.fingerprint())) {
      throw WorkerException.invalidArguments("validation output " + location + " was written on checkpoint "
          + output.fingerprint() + ", but " + checkpoint + " is " + fingerprint + ": the output is of another checkpoint");
    }
    List<ImportedTask> tasks = catalog.sets().stream().map(s -> match(s, output.outcomes().getOrDefault(s.name(), Map.of())))
        .toList();
    output.outcomes().keySet().stream().filter(t -> catalog.get(t) == null)
        .forEach(t -> out.println("skipped task " + t + " of " + location + ": it is not among the training's tasks"));
    tasks.forEach(t -> out.println("task " + t.task() + ": " + t.describe()));
    LmEvalImport.requireCoverage(tasks, minCoverage, String.format(Locale.ROOT,
        "validation output %s holds outcomes for too few prompts (minCoverage %.2f)", location, minCoverage));
    LmEvalImport.Result result = new LmEvalImport.Result(tasks, List.of());
    LabelHeader header = LmEvalImport.header(result, fingerprint, checkpoint, output.settings(), catalog);
    return LmEvalImport.write(result, header, labelFile);
  }

  /** {@code set}'s prompts that have an outcome, in file order; outcomes of ids the file lacks are counted. */
  static ImportedTask match(TaskSet set, Map<String, ValidationOutput.Outcome> outcomes) {
    List<PromptLabel> labels = new ArrayList<>();
    for (TaskPrompt p : set.prompts()) {
      ValidationOutput.Outcome o = outcomes.get(p.id());
      if (o != null) {
        labels.add(label(set.name(), p.id(), o));
      }
    }
    Set<String> ours = set.prompts().stream().map(TaskPrompt::id).collect(Collectors.toSet());
    List<String> examples = new ArrayList<>();
    int unmatched = 0;
    for (String id : outcomes.keySet()) {
      if (!ours.contains(id) && unmatched++ < EXAMPLES) {
        examples.add("id '" + id + "'");
      }
    }
    return new ImportedTask(set.name(), set.size(), labels, outcomes.size(), unmatched, examples, 0,
        ImportedTask.missing(set, labels));
  }

  /**
   * The output keeps counts, not each sample: the label lists the passes first, and no sample text
   * (the outputs are empty; nothing downstream reads them for training).
   */
  private static PromptLabel label(String task, String id, ValidationOutput.Outcome o) {
    List<Boolean> outcomes = new ArrayList<>(Collections.nCopies(o.passed(), true));
    outcomes.addAll(Collections.nCopies(o.samples() - o.passed(), false));
    return PromptLabel.of(task, id, outcomes, Collections.nCopies(o.samples(), ""));
  }
}
