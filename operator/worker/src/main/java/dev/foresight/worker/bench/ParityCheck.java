package dev.foresight.worker.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.model.AttentionMask;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The runtime against a parity fixture: a tiny checkpoint saved by Hugging Face transformers with
 * the hidden states and logits transformers computed for a fixed batch (made by
 * {@code src/test/python/make_parity_fixtures.py}). Compares every hidden state and the logits over
 * the real (unpadded) positions, on any device and dtype: the build's test runs it on the CPU in
 * float32, {@code foresight bench parity} on a GPU in each dtype.
 */
public final class ParityCheck {

  /** Max abs error allowed in float32 (on a GPU: with TF32 off). */
  public static final double FLOAT32_TOLERANCE = 1e-4;

  /**
   * Max error relative to the largest expected magnitude of the same array, for the 16-bit types
   * against the float32 fixtures (the weights themselves are rounded to 16 bits). Measured on the
   * CPU with libtorch 2.13 and a JNI that maps bfloat16: worst float16 1.1e-2, worst bfloat16 6.8e-2
   * (qwen2-rope-yarn, llama-rope-llama3). A wrong cast or a lost float32 softmax/RMSNorm is off by
   * order 1, so these bounds still catch it; the first GPU run checks them on CUDA kernels.
   */
  public static final double FLOAT16_RELATIVE = 2e-2;
  public static final double BFLOAT16_RELATIVE = 1e-1;

  /** One array's difference: the largest absolute error and the largest expected magnitude. */
  public record Difference(double maxAbs, double maxExpected) {
    public double relative() { return maxExpected == 0 ? maxAbs : maxAbs / maxExpected; }
  }

  private ParityCheck() {}

  /** The fixture directories under {@code root} (each has an expected.safetensors), sorted by name. */
  public static List<Path> fixtures(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("expected.safetensors"))).sorted().toList();
    }
  }

  /** Every hidden state ({@code hidden_states.i}) and the logits of fixture {@code dir}, by name. */
  public static Map<String, Difference> compare(Path dir, List<Device> devices, DataType dtype) throws IOException {
    Map<String, Difference> out = new LinkedHashMap<>();
    try (Checkpoint checkpoint = Checkpoint.open(dir);
        SafetensorsFile expected = SafetensorsFile.open(dir.resolve("expected.safetensors"));
        CausalLm model = checkpoint.load(devices, dtype);
        NDManager m = model.manager().newSubManager()) {
      NDArray ids = expected.load("input_ids", m);
      long[] lengths = expected.load("lengths", m).toLongArray();
      int b = (int) ids.getShape().get(0);
      int t = (int) ids.getShape().get(1);
      int layers = checkpoint.config().numLayers();
      Set<Integer> all = new HashSet<>();
      for (int i = 0; i <= layers; i++) {
        all.add(i);
      }
      NDArray positions = m.arange(0, t).toType(DataType.INT64, false).expandDims(0).repeat(0, b);
      CausalLm.Output forward = model.forward(ids, positions, AttentionMask.causal(t), all, null);
      NDArray mask = m.create(realPositions(lengths, t), new Shape(lengths.length, t, 1));
      for (int i = 0; i <= layers; i++) {
        String name = "hidden_states." + i;
        out.put(name, difference(expected.load(name, m), forward.hiddenStates().get(i), mask, dir, name));
      }
      out.put("logits", difference(expected.load("logits", m), model.logits(forward.lastHidden()), mask, dir, "logits"));
    }
    return out;
  }

  /** The tolerance {@link #passes} applies in {@code dtype}, in words. */
  public static String tolerance(DataType dtype) {
    return switch (dtype) {
      case FLOAT32 -> "max abs ≤ " + FLOAT32_TOLERANCE;
      case FLOAT16 -> "max abs ≤ " + FLOAT16_RELATIVE + " × max |expected|";
      case BFLOAT16 -> "max abs ≤ " + BFLOAT16_RELATIVE + " × max |expected|";
      default -> throw new IllegalArgumentException("no parity tolerance for " + dtype);
    };
  }

  public static boolean passes(Difference d, DataType dtype) {
    return switch (dtype) {
      case FLOAT32 -> d.maxAbs() <= FLOAT32_TOLERANCE;
      case FLOAT16 -> d.relative() <= FLOAT16_RELATIVE;
      case BFLOAT16 -> d.relative() <= BFLOAT16_RELATIVE;
      default -> throw new IllegalArgumentException("no parity tolerance for " + dtype);
    };
  }

  private static Difference difference(NDArray want, NDArray got, NDArray mask, Path dir, String name) {
    if (!want.getShape().equals(got.getShape())) {
      throw new IllegalStateException(dir.getFileName() + " " + name + ": shape " + got.getShape() + ", expected "
          + want.getShape());
    }
    NDArray onHost = got.toType(DataType.FLOAT32, false).toDevice(want.getDevice(), false);
    double maxAbs = want.sub(onHost).abs().mul(mask).max().getFloat();
    double maxExpected = want.abs().mul(mask).max().getFloat();
    return new Difference(maxAbs, maxExpected);
  }

  private static float[] realPositions(long[] lengths, int t) {
    float[] mask = new float[lengths.length * t];
    for (int i = 0; i < lengths.length; i++) {
      for (int j = 0; j < lengths[i]; j++) {
        mask[i * t + j] = 1;
      }
    }
    return mask;
  }
}
