package dev.foresight.worker.world;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * {@code trainer_state.json} beside a checkpoint's weights, named and shaped as Hugging Face's
 * Trainer writes it: the step and the training loss logged so far, one entry per saved
 * checkpoint (the mean loss over the steps since the previous one). The demo reads it back as
 * the "training loss" baseline of a checkpoint.
 *
 * @param globalStep the optimiser steps behind the checkpoint
 * @param logHistory oldest first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainerState(@JsonProperty("global_step") int globalStep,
    @JsonProperty("log_history") List<LogEntry> logHistory) {
  public static final String FILE = "trainer_state.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** @param loss mean next-token cross-entropy (nats per answer token) over the interval ending at {@code step} */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LogEntry(int step, double loss) {}

  public TrainerState {
    logHistory = List.copyOf(logHistory);
  }

  public void write(Path checkpointDir) throws IOException {
    Files.writeString(checkpointDir.resolve(FILE), JSON.writeValueAsString(this) + "\n");
  }

  /** The training loss logged at the checkpoint's own step; empty when the file or the entry is missing. */
  public static OptionalDouble trainingLoss(Path checkpointDir) throws IOException {
    Path file = checkpointDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return OptionalDouble.empty();
    }
    TrainerState state = JSON.readValue(file.toFile(), TrainerState.class);
    return state.logHistory().stream().filter(e -> e.step() == state.globalStep())
        .mapToDouble(LogEntry::loss).findFirst();
  }
}
