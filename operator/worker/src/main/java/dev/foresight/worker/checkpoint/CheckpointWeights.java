package dev.foresight.worker.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.foresight.worker.model.WeightProvider;
import dev.foresight.worker.runtime.TorchEngine;
import dev.foresight.worker.safetensors.SafetensorsWeights;
import dev.foresight.worker.safetensors.TensorInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A checkpoint's safetensors as a {@link WeightProvider}, converting to the model's dtype on the
 * manager's device. In a dry run it loads nothing and only notes weights that are missing or
 * misshaped, so that a model build can report every problem at once before any gigabyte moves.
 */
final class CheckpointWeights implements WeightProvider {

  private final SafetensorsWeights weights;
  private final Function<String, NDManager> managers;
  private final DataType dtype;
  private final boolean dryRun;
  private final List<String> problems = new ArrayList<>();

  CheckpointWeights(SafetensorsWeights weights, NDManager manager, DataType dtype, boolean dryRun) {
    this(weights, name -> manager, dtype, dryRun);
  }

  /** @param managers the manager (and so the device) each weight goes to, by name */
  CheckpointWeights(SafetensorsWeights weights, Function<String, NDManager> managers, DataType dtype, boolean dryRun) {
    this.weights = weights;
    this.managers = managers;
    this.dtype = dtype;
    this.dryRun = dryRun;
  }

  /**
   * Whether BF16 weights go to the device as they are (then cast there to the model's dtype if it
   * differs) rather than widened to float32 in host memory first: on a GPU, with a JNI library that
   * can hold bfloat16. The CPU always widens: its model is float32 and its kernels want it.
   */
  static boolean holdsBfloat16(Device device, boolean jniMapsBfloat16) {
    return device.isGpu() && jniMapsBfloat16;
  }

  @Override
  public NDArray get(String name, Shape shape) throws IOException {
    var info = weights.find(name);
    if (info.isEmpty()) {
      problems.add("missing " + name + " " + shape);
    } else if (!new Shape(info.get().shape()).equals(shape)) {
      problems.add(name + " has shape " + new Shape(info.get().shape()) + ", expected " + shape);
    } else if (!info.get().dtype().isFloatingPoint()) {
      problems.add(name + " is " + info.get().dtype() + ", expected a floating-point type");
    }
    NDManager manager = managers.apply(name);
    if (dryRun || !problems.isEmpty()) {
      return manager.create(new float[0]).toType(dtype, false); // a placeholder: this build is thrown away
    }
    NDArray stored = weights.load(name, manager, holdsBfloat16(manager.getDevice(), TorchEngine.mapsBfloat16()));
    if (stored.getDataType() == dtype) {
      return stored;
    }
    NDArray converted = stored.toType(dtype, false);
    stored.close();
    return converted;
  }

  @Override
  public boolean has(String name) { return weights.contains(name); }

  @Override
  public Shape shapeOf(String name) {
    return weights.find(name).map(TensorInfo::shape).map(Shape::new).orElse(null);
  }

  List<String> problems() { return problems; }
}
