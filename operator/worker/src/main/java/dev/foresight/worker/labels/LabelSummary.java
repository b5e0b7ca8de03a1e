package dev.foresight.worker.labels;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.foresight.worker.scoring.Outcomes;
import dev.foresight.worker.storage.AtomicFile;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code <labels>.summary.json}, written beside a finished label file: actual pass@1 per task, and
 * how long generation took.
 *
 * @param checkpoint the checkpoint's fingerprint
 * @param generation the timed labelling run (the one that finished the file)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"checkpoint", "generation", "actualPassAt1"})
public record LabelSummary(String checkpoint, Timing generation, Map<String, TaskPassAt1> actualPassAt1) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public record TaskPassAt1(int prompts, long samples, double passAt1) {}

  /**
   * @param seconds generation and checking, model loading excluded
   * @param prompts prompts labelled in that time (fewer than the file holds when it resumed an
   *     interrupted run)
   */
  public record Timing(double seconds, long prompts) {

    /** The time the whole prompt set would take at this run's rate. */
    public double secondsFor(long allPrompts) {
      return prompts == 0 ? Double.NaN : seconds * allPrompts / prompts;
    }
  }

  public static LabelSummary of(Labels labels, TaskCatalog catalog, Timing generation) {
    Map<String, TaskPassAt1> tasks = new LinkedHashMap<>();
    for (TaskSet set : catalog.sets()) {
      Outcomes o = labels.outcomes(set.name());
      tasks.put(set.name(), new TaskPassAt1(o.prompts(), o.totalSamples(), o.passAt1()));
    }
    return new LabelSummary(labels.header().checkpoint(), generation, tasks);
  }

  /** {@code labels.jsonl} → {@code labels.summary.json}. */
  public static Path pathFor(Path labelFile) {
    String name = labelFile.getFileName().toString();
    String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
    return labelFile.resolveSibling(stem + ".summary.json");
  }

  public void write(Path file) throws IOException {
    AtomicFile.write(file, JSON.writeValueAsString(this) + "\n");
  }

  /** The summary at {@code file}, if there is one. */
  public static Optional<LabelSummary> read(Path file) throws IOException {
    return Files.isRegularFile(file) ? Optional.of(JSON.readValue(file.toFile(), LabelSummary.class)) : Optional.empty();
  }
}
