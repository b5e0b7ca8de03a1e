package dev.foresight.worker.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import dev.foresight.worker.runtime.TorchEngine;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --device} and {@code --dtype}, shared by every command that runs a model. {@link
 * ForesightCli} checks them before any command starts ({@link #check()}), so that a CUDA device
 * asked for on a machine without one fails at once instead of after minutes of fetching, and never
 * falls back to the CPU.
 */
final class DeviceOptions {

  @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--dtype", defaultValue = "float32",
      description = "float32, or on cuda float16 or bfloat16 (bfloat16 needs a JNI that maps it) (default: ${DEFAULT-VALUE})")
  String dtype;

  @Option(names = "--gpus", defaultValue = "1",
      description = "GPUs to split the model over by layers, from --device's index on (default: ${DEFAULT-VALUE})")
  int gpus;

  /** The device named, checked against what the PyTorch engine sees (the first of {@link #devices()}). */
  Device device() {
    return devices().get(0);
  }

  /** The devices the model goes on: one, or {@code --gpus} consecutive GPUs for a model split by layers. */
  List<Device> devices() {
    if (device.equals("cpu") && gpus == 1) {
      return List.of(Device.cpu()); // no engine start: most commands on CPU never need to ask it anything
    }
    return resolve(device, gpus, Engine.getInstance().getGpuCount(), TorchEngine.describe());
  }

  /** {@code gpus} devices from {@code asked} on, each checked as {@link #resolve(String, int, String)} does. */
  static List<Device> resolve(String asked, int gpus, int gpusSeen, String engine) {
    if (gpus < 1) {
      throw new IllegalArgumentException("--gpus must be at least 1, got " + gpus);
    }
    Device first = resolve(asked, gpusSeen, engine);
    if (gpus == 1) {
      return List.of(first);
    }
    if (!first.isGpu()) {
      throw new IllegalArgumentException("--gpus " + gpus + " splits a model over GPUs: it needs --device cuda");
    }
    List<Device> devices = new ArrayList<>();
    for (int i = 0; i < gpus; i++) {
      devices.add(resolve("cuda:" + (first.getDeviceId() + i), gpusSeen, engine));
    }
    return List.copyOf(devices);
  }

  /**
   * {@code asked} against {@code gpusSeen} devices: a pure function so that the refusal can be
   * tested on a machine without a GPU for every case (no GPU at all, an index beyond the count).
   */
  static Device resolve(String asked, int gpusSeen, String engine) {
    if (asked.equals("cpu")) {
      return Device.cpu();
    }
    if (!asked.equals("cuda") && !asked.startsWith("cuda:")) {
      throw new IllegalArgumentException("--device must be cpu, cuda or cuda:N, not '" + asked + "'");
    }
    int index;
    try {
      index = asked.equals("cuda") ? 0 : Integer.parseInt(asked.substring(5));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--device " + asked + ": the device index must be a number");
    }
    if (index < 0 || index >= gpusSeen) {
      throw new IllegalArgumentException("--device " + asked + ": the PyTorch engine sees " + gpusSeen + " GPU(s)"
          + (gpusSeen > 0 ? " (cuda:0 to cuda:" + (gpusSeen - 1) + ")" : "") + " with " + engine
          + "; Foresight does not fall back to the CPU. A CUDA libtorch needs PYTORCH_LIBRARY_PATH,"
          + " PYTORCH_VERSION=2.7.1 and PYTORCH_FLAVOR=cu128, a visible NVIDIA device, and libcudart where JNA finds"
          + " it (-Djna.library.path) for DJL to count the GPUs");
    }
    return Device.gpu(index);
  }

  DataType dtype(Device on) {
    return dtype(dtype, on, TorchEngine.mapsBfloat16());
  }

  /**
   * {@code name} as a DJL type on {@code on}. The 16-bit types need a GPU: PyTorch's CPU kernels
   * for them are slow or missing. bfloat16 also needs a JNI library that maps the type: DJL 0.36's
   * aborts the whole JVM on it (see docs/runtime.md), so it is refused here instead.
   */
  static DataType dtype(String name, Device on, boolean jniMapsBfloat16) {
    return switch (name) {
      case "float32" -> DataType.FLOAT32;
      case "float16", "bfloat16" -> {
        if (!on.isGpu()) {
          throw new IllegalArgumentException("--dtype " + name + " needs --device cuda (CPU kernels for half"
              + " precision are slow or missing); the CPU runs float32");
        }
        if (name.equals("bfloat16") && !jniMapsBfloat16) {
          throw new IllegalArgumentException("--dtype bfloat16: this DJL JNI library cannot hold bfloat16 (DJL 0.36's"
              + " aborts the JVM on it); use float16, or a JNI built with the bfloat16 mapping and "
              + TorchEngine.BFLOAT16_JNI + "=1");
        }
        yield name.equals("float16") ? DataType.FLOAT16 : DataType.BFLOAT16;
      }
      default -> throw new IllegalArgumentException("--dtype must be float32, float16 or bfloat16, not '" + name + "'");
    };
  }

  /** Resolves both options, throwing what {@link #device()} and {@link #dtype(Device)} would. */
  void check() {
    dtype(device());
  }
}
