package dev.foresight.worker.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.foresight.api.worker.WorkerCommand;
import picocli.CommandLine.Option;

/** Where and how the model runs: {@code --device}, {@code --dtype}, {@code --batch-size}. */
final class RuntimeOptions {

  @Option(names = WorkerCommand.DEVICE, defaultValue = "cpu", description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = WorkerCommand.DTYPE, defaultValue = "float32",
      description = "float32, or float16 on cuda (default: ${DEFAULT-VALUE})")
  String dtype;

  @Option(names = WorkerCommand.BATCH_SIZE, defaultValue = "32",
      description = "prompts per forward pass; sequences per generation batch are this × samples (default: ${DEFAULT-VALUE})")
  int batchSize;

  Device device() { return DeviceOption.parse(device); }

  DataType dataType() { return DeviceOption.dtype(dtype, device()); }

  int batchSize() {
    if (batchSize < 1) {
      throw new IllegalArgumentException(WorkerCommand.BATCH_SIZE + " must be at least 1, got " + batchSize);
    }
    return batchSize;
  }
}
