package dev.foresight.worker.stages;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.checkpoint.CheckpointException;
import dev.foresight.worker.evaluation.LoadedCheckpoint;
import dev.foresight.worker.storage.Storage;
import java.io.IOException;

/**
 * Where a stage runs its model ({@code --device}, {@code --dtype}, {@code --batch-size}), and the
 * loading of a labelled checkpoint with errors that say which one and for what.
 */
public record StageRuntime(Device device, DataType dtype, int batchSize) {

  /**
   * Loads {@code checkpoint}; a missing or unusable one keeps its exit code (3) and its message
   * gains the checkpoint's URI, step and {@code part} (e.g. "label shard 1 of 2").
   */
  public LoadedCheckpoint load(Storage storage, LabelledCheckpoint checkpoint, String part,
      LoadedCheckpoint.BeforeWeights beforeWeights) throws IOException {
    String what = "checkpoint " + checkpoint.getUri() + " (step " + checkpoint.getStep() + ", " + part + "): ";
    try {
      return LoadedCheckpoint.load(storage, checkpoint.getUri(), device, dtype, beforeWeights);
    } catch (WorkerException e) {
      throw new WorkerException(e.exitCode(), what + e.getMessage(), e);
    } catch (CheckpointException e) {
      throw new WorkerException(e.exitCode(), what + e.getMessage(), e);
    }
  }
}
