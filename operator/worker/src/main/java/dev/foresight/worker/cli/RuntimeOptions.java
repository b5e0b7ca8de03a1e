package dev.foresight.worker.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.foresight.api.worker.WorkerCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where and how the model runs: {@code --device}, {@code --dtype}, {@code --batch-size}. */
final class RuntimeOptions {

  @Mixin DeviceOptions devices;

  @Option(names = WorkerCommand.BATCH_SIZE, defaultValue = "32",
      description = "prompts per forward pass; generation decodes this × samples sequences at once (default: ${DEFAULT-VALUE})")
  int batchSize;

  Device device() { return devices.device(); }

  DataType dataType() { return devices.dtype(device()); }

  int batchSize() {
    if (batchSize < 1) {
      throw new IllegalArgumentException(WorkerCommand.BATCH_SIZE + " must be at least 1, got " + batchSize);
    }
    return batchSize;
  }
}
