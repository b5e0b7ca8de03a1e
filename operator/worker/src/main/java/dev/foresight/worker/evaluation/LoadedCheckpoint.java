package dev.foresight.worker.evaluation;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.foresight.api.v1alpha1.CheckpointSummary;
import dev.foresight.worker.bundle.ModelSignature;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.checkpoint.CheckpointException;
import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint fetched from its location, loaded on a device, with its tokenizer: what the label,
 * extract and evaluate commands (and the demo) run on.
 *
 * @param location as the user wrote it
 * @param loadSeconds fetching, opening and materialising the weights
 */
public record LoadedCheckpoint(String location, Checkpoint checkpoint, CausalLm model, Tokenizer tokenizer,
    double loadSeconds) implements AutoCloseable {

  /**
   * Fetches and loads {@code location}.
   *
   * @throws dev.foresight.worker.WorkerException for a location that is missing or unreachable
   * @throws CheckpointException for a checkpoint that is not usable (exit code 3)
   */
  public static LoadedCheckpoint load(Storage storage, String location, Device device, DataType dtype) throws IOException {
    return load(storage, location, device, dtype, (config, tokenizer) -> { });
  }

  /** As above, on one device or split over several. */
  public static LoadedCheckpoint load(Storage storage, String location, List<Device> devices, DataType dtype)
      throws IOException {
    return load(storage, location, devices, dtype, (config, tokenizer) -> { });
  }

  /** A check of what is known before any weight is read: the config and the tokenizer. */
  @FunctionalInterface
  public interface BeforeWeights {
    void check(ModelConfig config, Tokenizer tokenizer);
  }

  /**
   * Fetches {@code location} and runs {@code beforeWeights} on its config and tokenizer before any
   * weight is read: a probe that does not fit, or a prompt longer than the context, is refused in a
   * second, not after minutes of loading a large model.
   */
  public static LoadedCheckpoint load(Storage storage, String location, Device device, DataType dtype,
      BeforeWeights beforeWeights) throws IOException {
    return load(storage, location, List.of(device), dtype, beforeWeights);
  }

  /**
   * As above, on {@code devices}: one holds the whole model; several split it by layers
   * ({@link dev.foresight.worker.model.DevicePlan#balance}), for a checkpoint larger than one GPU.
   */
  public static LoadedCheckpoint load(Storage storage, String location, List<Device> devices, DataType dtype,
      BeforeWeights beforeWeights) throws IOException {
    long start = System.nanoTime();
    Path dir = storage.fetch(location, Purpose.CHECKPOINT);
    Checkpoint checkpoint = Checkpoint.open(dir);
    try {
      Tokenizer tokenizer = Tokenizer.open(dir);
      try {
        beforeWeights.check(checkpoint.config(), tokenizer);
        CausalLm model = checkpoint.load(devices, dtype);
        return new LoadedCheckpoint(location, checkpoint, model, tokenizer, (System.nanoTime() - start) / 1e9);
      } catch (IOException | RuntimeException e) {
        tokenizer.close();
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      checkpoint.close();
      throw e;
    }
  }

  public String fingerprint() { return checkpoint.fingerprint(); }

  public ModelSignature signature() { return ModelSignature.of(checkpoint.config(), tokenizer.hash()); }

  public CheckpointSummary summary() {
    return new CheckpointSummary(fingerprint(), checkpoint.config().family().architecture(), checkpoint.parameterCount());
  }

  @Override
  public void close() throws IOException {
    model.close();
    tokenizer.close();
    checkpoint.close();
  }
}
