package dev.foresight.worker.labels.lmeval;

import dev.foresight.worker.labels.PromptLabel;
import java.util.List;
import java.util.Locale;

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
 */
public record ImportedTask(String task, int prompts, List<PromptLabel> labels, int documents, int unmatched,
    List<String> examples, int otherFilter) {

  public ImportedTask {
    labels = List.copyOf(labels);
    examples = List.copyOf(examples);
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
    return otherFilter == 0 ? s : s + "; " + otherFilter + " lines of other filters skipped";
  }
}
