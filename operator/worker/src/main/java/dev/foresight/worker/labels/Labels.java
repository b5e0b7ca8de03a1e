package dev.foresight.worker.labels;

import dev.foresight.worker.scoring.Outcomes;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A label file's contents: per task, the labelled prompts in the order they finished. */
public record Labels(LabelHeader header, Map<String, List<PromptLabel>> byTask) {

  public Optional<PromptLabel> find(String task, String id) {
    return byTask.getOrDefault(task, List.of()).stream().filter(l -> l.id().equals(id)).findFirst();
  }

  /** Labelled prompts, over every task. */
  public int count() {
    return byTask.values().stream().mapToInt(List::size).sum();
  }

  /** The outcomes of one task's labelled prompts. */
  public Outcomes outcomes(String task) {
    List<PromptLabel> labels = byTask.getOrDefault(task, List.of());
    int[] passed = labels.stream().mapToInt(PromptLabel::passed).toArray();
    int[] samples = labels.stream().mapToInt(PromptLabel::samples).toArray();
    return new Outcomes(passed, samples);
  }
}
