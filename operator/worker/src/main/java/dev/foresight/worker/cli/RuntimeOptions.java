package dev.foresight.worker.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.worker.runtime.BatchPlan;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where and how the model runs: {@code --device}, {@code --dtype}, {@code --batch-size}. */
final class RuntimeOptions {

  @Mixin DeviceOptions devices;

  @Option(names = WorkerCommand.BATCH_SIZE,
      description = "prompts per forward pass; generation decodes this × samples sequences at once (default: "
          + BatchPlan.DEFAULT + " on the CPU and for generation; on CUDA the largest prefill batch that fits in free memory)")
  Integer batchSize;

  Device device() { return devices.device(); }

  /** One device, or several for a model split by layers (--gpus). */
  List<Device> devices() { return devices.devices(); }

  DataType dataType() { return devices.dtype(device()); }

  /**
   * The batch size asked for; unset, {@link BatchPlan#FROM_FREE_MEMORY} on a GPU (prefill plans it
   * once the model is loaded and the prompts are known) and {@link BatchPlan#DEFAULT} on the CPU.
   */
  int batchSize() {
    if (batchSize == null) {
      return device().isGpu() ? BatchPlan.FROM_FREE_MEMORY : BatchPlan.DEFAULT;
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException(WorkerCommand.BATCH_SIZE + " must be at least 1, got " + batchSize);
    }
    return batchSize;
  }
}
