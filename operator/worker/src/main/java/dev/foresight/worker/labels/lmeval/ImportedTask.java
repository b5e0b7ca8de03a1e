package dev.foresight.worker.labels.lmeval;

import dev.foresight.worker.labels.PromptLabel;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one task's sample logs gave.
 *
 * @param task our task's name
 * @param prompts prompts in our task file
 * @param labels one per matched prompt, in task file order
 * @param documents logged documents (repeats of one document count once)
 * @param unmatched logged documents that match no prompt
 * @param examples the first unmatched ones: doc id and the start of the prompt
 * @param otherFilter lines skipped because they hold another filter's outcome than the chosen one
 * @param missing the first prompts of our task file that got no label (their ids)
 */
public record ImportedTask(String task, int prompts, List<PromptLabel> labels, int documents, int unmatched,
    List<String> examples, int otherFilter, List<String> missing) {
  /** Unlabelled prompts named in messages, per task. */
  static final int MISSING_SHOWN = 5;

  public ImportedTask {
    labels = List.copyOf(labels);
    examples = List.copyOf(examples);
    missing = List.copyOf(missing);
  }

  /** The first {@value #MISSING_SHOWN} prompts of {@code set}, in file order, that {@code labels} lack. */
  public static List<String> missing(TaskSet set, List<PromptLabel> labels) {
    Set<String> labelled = new HashSet<>();
    labels.forEach(l -> labelled.add(l.id()));
    return set.prompts().stream().map(TaskPrompt::id).filter(id -> !labelled.contains(id)).limit(MISSING_SHOWN)
        .toList();
  }

  /** The share of our prompts that got a label. */
  public double coverage() {
    return prompts == 0 ? 0 : (double) labels.size() / prompts;
  }

  /** "12 of 64 prompts matched (18.8%); 40 of 52 logged documents matched no prompt, e.g. doc_id 7 'What…'". */
  public String describe() {
    String s = String.format(Locale.ROOT, "%d of %d prompts matched (%.1f%%)", labels.size(), prompts, 100 * coverage());
    if (documents == 0) {
      s += "; no logged documents";
    } else if (unmatched > 0) {
      s += "; " + unmatched + " of " + documents + " logged documents matched no prompt, e.g. "
          + String.join(", ", examples);
    }
    if (otherFilter > 0) {
      s += "; " + otherFilter + " lines of other filters skipped";
    }
    return missing.isEmpty() ? s : s + "; unlabelled: '" + String.join("', '", missing) + "'"
        + (prompts - labels.size() > missing.size() ? ", …" : "");
  }
}
