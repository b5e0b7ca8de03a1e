package dev.foresight.worker.demo;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a demo run found; written as {@code summary.json}.
 *
 * @param family the probe family in {@code bundle/}, the table and the plot
 * @param heldOutAuroc per family, the mean held-out AUROC on the labelled checkpoints (what chose the family)
 * @param scores over the later checkpoints
 * @param checkpoints every checkpoint, oldest first
 */
@JsonPropertyOrder({"plan", "family", "heldOutAuroc", "scores", "checkpoints"})
public record DemoResult(DemoPlan plan, String family, Map<String, Double> heldOutAuroc, DemoScores scores,
    List<CheckpointPoint> checkpoints) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public List<CheckpointPoint> later() {
    return checkpoints.subList(plan.labelledCheckpoints(), checkpoints.size());
  }

  public List<String> tasks() {
    return List.copyOf(checkpoints.get(0).tasks().keySet());
  }

  public void writeJson(Path file) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(this) + "\n");
  }
}
