package dev.foresight.worker.labels.lmeval;

import dev.foresight.worker.labels.PromptLabel;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers one task's logged documents and turns them into labels. Lines with the same doc id are
 * repeats of one document (another run, or {@code repeats} split over lines) and are pooled; lines
 * of different documents are never pooled, even when they match the same prompt.
 */
final class TaskImport {
  /** Unmatched documents named in messages, per task. */
  static final int EXAMPLES = 3;

  private final TaskSet set;
  private final PromptIndex index;
  private final String chosenFilter;
  /** filter ("" when the log names none) → doc id → the document's pooled outcome. */
  private final Map<String, Map<String, Document>> byFilter = new LinkedHashMap<>();
  private int otherFilter;

  private static final class Document {
    final String prompt;
    final String where;
    final LoggedSample first;
    int passed;
    final List<String> outputs = new ArrayList<>();

    Document(LoggedSample first, String where) {
      this.first = first;
      this.prompt = first.prompt();
      this.where = where;
    }
  }

  TaskImport(TaskSet set, MatchBy match, String chosenFilter, List<String> problems) {
    this.set = set;
    this.index = PromptIndex.of(set, match, problems);
    this.chosenFilter = chosenFilter;
  }

  void add(Path file, LoggedSample s, List<String> problems) {
    if (chosenFilter != null && s.filter() != null && !chosenFilter.equals(s.filter())) {
      otherFilter++;
      return;
    }
    String at = file + ", line " + s.line() + ": ";
    Integer passes = s.passes();
    if (passes == null) {
      problems.add(at + "metric value " + s.score() + " over " + s.responses().size()
          + " responses is not a whole number of passes");
      return;
    }
    Map<String, Document> docs = byFilter.computeIfAbsent(s.filter() == null ? "" : s.filter(), f -> new LinkedHashMap<>());
    Document doc = docs.computeIfAbsent(s.docId(), id -> new Document(s, file + ", line " + s.line()));
    if (!doc.prompt.equals(s.prompt())) {
      problems.add(at + "doc_id " + s.docId() + " was logged with another prompt at " + doc.where
          + ": only repeats of one document are pooled");
      return;
    }
    doc.passed += passes;
    doc.outputs.addAll(s.responses());
  }

  /** The task's labels; adds problems for mixed filters and for two documents on one prompt. */
  ImportedTask finish(List<String> problems) {
    if (byFilter.size() > 1) {
      problems.add("task " + set.name() + ": the sample logs hold the outcomes of filters "
          + String.join(", ", byFilter.keySet()) + ": choose one with --lm-eval-filter");
      return new ImportedTask(set.name(), set.size(), List.of(), 0, 0, List.of(), otherFilter, List.of());
    }
    Map<String, Document> docs = byFilter.isEmpty() ? Map.of() : byFilter.values().iterator().next();
    Map<String, PromptLabel> byPrompt = new HashMap<>();
    Map<String, String> docOfPrompt = new HashMap<>();
    List<String> examples = new ArrayList<>();
    int unmatched = 0;
    for (Map.Entry<String, Document> e : docs.entrySet()) {
      Document doc = e.getValue();
      TaskPrompt prompt = index.find(doc.first);
      if (prompt == null) {
        if (unmatched++ < EXAMPLES) {
          examples.add("doc_id " + e.getKey() + " " + doc.first.promptStart());
        }
        continue;
      }
      String other = docOfPrompt.putIfAbsent(prompt.id(), e.getKey());
      if (other != null) {
        problems.add("task " + set.name() + ": prompt '" + prompt.id() + "' is matched by doc_id " + other + " and doc_id "
            + e.getKey() + ": only repeats of one document are pooled");
        continue;
      }
      byPrompt.put(prompt.id(), label(prompt, doc));
    }
    List<PromptLabel> labels = set.prompts().stream().map(p -> byPrompt.get(p.id())).filter(l -> l != null).toList();
    return new ImportedTask(set.name(), set.size(), labels, docs.size(), unmatched, examples, otherFilter,
        ImportedTask.missing(set, labels));
  }

  /**
   * lm-eval logs one outcome per document, not per response, when it scores repeats: so the label
   * counts the passes right, but lists them first rather than beside the responses that passed.
   */
  private PromptLabel label(TaskPrompt prompt, Document doc) {
    int samples = doc.outputs.size();
    List<Boolean> outcomes = new ArrayList<>(Collections.nCopies(doc.passed, true));
    outcomes.addAll(Collections.nCopies(samples - doc.passed, false));
    return PromptLabel.of(set.name(), prompt.id(), outcomes, doc.outputs);
  }
}
