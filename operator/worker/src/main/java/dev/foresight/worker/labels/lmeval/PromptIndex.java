package dev.foresight.worker.labels.lmeval;

import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A task file's prompts, keyed as {@link MatchBy} says, to find the prompt a logged document is about. */
final class PromptIndex {
  private final MatchBy by;
  private final Map<String, TaskPrompt> byKey;

  private PromptIndex(MatchBy by, Map<String, TaskPrompt> byKey) {
    this.by = by;
    this.byKey = byKey;
  }

  /**
   * Indexes {@code set}. Two prompts with the same text cannot be told apart by text: that adds a
   * problem (match those by doc id instead).
   */
  static PromptIndex of(TaskSet set, MatchBy by, List<String> problems) {
    Map<String, TaskPrompt> byKey = new HashMap<>();
    for (TaskPrompt p : set.prompts()) {
      TaskPrompt first = byKey.putIfAbsent(by == MatchBy.PROMPT ? p.prompt().strip() : p.id(), p);
      if (first != null) {
        problems.add("task " + set.name() + ": prompts '" + first.id() + "' and '" + p.id()
            + "' have the same text, so a logged prompt cannot tell them apart: use --match doc-id");
      }
    }
    return new PromptIndex(by, byKey);
  }

  /** The prompt {@code sample} is about, or null when the task file has none. */
  TaskPrompt find(LoggedSample sample) {
    return byKey.get(by == MatchBy.PROMPT ? sample.prompt().strip() : sample.docId());
  }
}
