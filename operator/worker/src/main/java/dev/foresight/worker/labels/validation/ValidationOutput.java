package dev.foresight.worker.labels.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.evaluation.EvaluationResult;
import dev.foresight.worker.labels.LabelSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a validated evaluation's output ({@link EvaluationResult} as JSON) holds for labels: the
 * checkpoint's fingerprint, the sampling settings if recorded, and per task and prompt id the
 * generative outcome (passed of samples). Only those fields are read, so the output's other parts
 * may grow without breaking the import.
 *
 * @param fingerprint the evaluated checkpoint's fingerprint
 * @param settings how generation sampled; {@link #UNRECORDED} for an output that does not say
 * @param outcomes task → prompt id → outcome, in the output's order; prompts without one are left out
 */
public record ValidationOutput(String fingerprint, LabelSettings settings, Map<String, Map<String, Outcome>> outcomes) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The settings of an output written before evaluations recorded theirs: {@code foresight evaluate
   * --validate}'s defaults (4 samples, temperature 0.6, no top-p cut, 512 new tokens, seed 0), which
   * is what a monitor's validation runs with unless its spec.validation says otherwise.
   */
  public static final LabelSettings UNRECORDED = new LabelSettings(4, 0.6, 1.0, 512, 0);

  /** One prompt's generative outcome. */
  public record Outcome(int passed, int samples) {}

  /** Whether any prompt has an outcome (an evaluation without --validate writes none). */
  public boolean validated() {
    return outcomes.values().stream().anyMatch(m -> !m.isEmpty());
  }

  /**
   * Reads the output fetched from {@code location} into {@code file}.
   *
   * @throws WorkerException (invalid arguments) naming the location and what is wrong
   */
  public static ValidationOutput read(Path file, String location) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw WorkerException.invalidArguments("validation output " + location + " is not JSON: " + e.getMessage());
    }
    String fingerprint = root == null ? null : root.path("checkpoint").path("fingerprint").textValue();
    if (fingerprint == null || !root.path("tasks").isArray()) {
      throw WorkerException.invalidArguments("validation output " + location + " is not an evaluation's output"
          + " (checkpoint.fingerprint and tasks expected, as foresight evaluate --output writes)");
    }
    Map<String, Map<String, Outcome>> outcomes = new LinkedHashMap<>();
    for (JsonNode task : root.path("tasks")) {
      String name = task.path("task").asText();
      Map<String, Outcome> byId = outcomes.computeIfAbsent(name, n -> new LinkedHashMap<>());
      for (JsonNode p : task.path("prompts")) {
        if (p.path("passed").isInt() && p.path("samples").isInt()) {
          int passed = p.get("passed").intValue();
          int samples = p.get("samples").intValue();
          if (samples < 1 || passed < 0 || passed > samples) {
            throw WorkerException.invalidArguments("validation output " + location + ", task " + name + ", prompt '"
                + p.path("id").asText() + "': passed " + passed + " of " + samples + " samples is not an outcome");
          }
          byId.put(p.path("id").asText(), new Outcome(passed, samples));
        }
      }
    }
    return new ValidationOutput(fingerprint, settings(root.path("validation"), location), outcomes);
  }

  private static LabelSettings settings(JsonNode node, String location) {
    if (node.isMissingNode() || node.isNull()) {
      return UNRECORDED;
    }
    try {
      return JSON.treeToValue(node, LabelSettings.class);
    } catch (IOException | IllegalArgumentException e) {
      throw WorkerException.invalidArguments("validation output " + location + ": validation settings "
          + node + " are not readable: " + e.getMessage());
    }
  }
}
