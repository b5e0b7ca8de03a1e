package dev.foresight.worker.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;

/** Parses {@code --device} and {@code --dtype} and checks that the machine has what they name. */
final class DeviceOption {

  private DeviceOption() {}

  /** {@code cpu}, {@code cuda} or {@code cuda:N}. */
  static Device parse(String name) {
    if (name.equals("cpu")) {
      return Device.cpu();
    }
    if (name.equals("cuda") || name.startsWith("cuda:")) {
      int index = name.equals("cuda") ? 0 : Integer.parseInt(name.substring(5));
      int visible = Engine.getInstance().getGpuCount();
      if (index >= visible) {
        throw new IllegalArgumentException("--device " + name + ": " + visible + " CUDA device(s) visible to the "
            + "PyTorch engine (a CUDA libtorch needs PYTORCH_LIBRARY_PATH, PYTORCH_VERSION=2.7.1, PYTORCH_FLAVOR=cu128)");
      }
      return Device.gpu(index);
    }
    throw new IllegalArgumentException("--device must be cpu, cuda or cuda:N, not '" + name + "'");
  }

  static DataType dtype(String name, Device device) {
    return switch (name) {
      case "float32" -> DataType.FLOAT32;
      case "float16" -> {
        if (!device.isGpu()) {
          throw new IllegalArgumentException("--dtype float16 needs --device cuda (CPU kernels for half are slow or missing)");
        }
        yield DataType.FLOAT16;
      }
      default -> throw new IllegalArgumentException("--dtype must be float32 or float16, not '" + name + "'");
    };
  }
}
