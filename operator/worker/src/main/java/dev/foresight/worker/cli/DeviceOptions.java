package dev.foresight.worker.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import picocli.CommandLine.Option;

/** {@code --device} and {@code --dtype}, shared by every command that runs a model. */
final class DeviceOptions {

  @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--dtype", defaultValue = "float32", description = "float32, or float16 on cuda (default: ${DEFAULT-VALUE})")
  String dtype;

  /** The device named, checked against what the PyTorch engine sees. */
  Device device() {
    if (device.equals("cpu")) {
      return Device.cpu();
    }
    if (device.equals("cuda") || device.startsWith("cuda:")) {
      int index;
      try {
        index = device.equals("cuda") ? 0 : Integer.parseInt(device.substring(5));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--device " + device + ": the device index must be a number");
      }
      int visible = Engine.getInstance().getGpuCount();
      if (index >= visible) {
        throw new IllegalArgumentException("--device " + device + ": " + visible + " CUDA device(s) visible to the "
            + "PyTorch engine (a CUDA libtorch needs PYTORCH_LIBRARY_PATH, PYTORCH_VERSION=2.7.1, PYTORCH_FLAVOR=cu128)");
      }
      return Device.gpu(index);
    }
    throw new IllegalArgumentException("--device must be cpu, cuda or cuda:N, not '" + device + "'");
  }

  DataType dtype(Device on) {
    return switch (dtype) {
      case "float32" -> DataType.FLOAT32;
      case "float16" -> {
        if (!on.isGpu()) {
          throw new IllegalArgumentException("--dtype float16 needs --device cuda (CPU kernels for half are slow or missing)");
        }
        yield DataType.FLOAT16;
      }
      default -> throw new IllegalArgumentException("--dtype must be float32 or float16, not '" + dtype + "'");
    };
  }
}
