package dev.foresight.worker.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Faithfulness to Hugging Face transformers: each fixture directory under
 * {@code src/test/resources/parity/<family>/} holds a tiny random checkpoint saved by
 * transformers and the hidden states and logits transformers computed for a fixed batch (made by
 * {@code src/test/python/make_parity_fixtures.py}). The runtime must reproduce every layer and the
 * logits at every real position within 1e-4 (float32).
 */
class HuggingFaceParityTest {

  static final Path FIXTURES = Path.of("src/test/resources/parity");
  static final double TOLERANCE = 1e-4;

  static List<Path> fixtures() throws IOException {
    if (!Files.isDirectory(FIXTURES)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(FIXTURES)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("expected.safetensors"))).sorted().toList();
    }
  }

  /** Every supported family and RoPE variant has a fixture (made with transformers 5.17, torch 2.11). */
  static final List<String> FAMILIES =
      List.of("llama", "llama-rope-llama3", "mistral", "olmo2", "olmo3", "qwen2", "qwen2-rope-yarn");

  @Test
  void everyFamilyHasAFixture() throws IOException {
    assertEquals(FAMILIES, fixtures().stream().map(d -> d.getFileName().toString()).toList(),
        "regenerate with src/test/python/make_parity_fixtures.py (needs torch + transformers)");
  }

  @TestFactory
  Stream<DynamicTest> everyFamilyMatchesTransformers() throws IOException {
    return fixtures().stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
  }

  private static void check(Path dir) throws Exception {
    try (Checkpoint checkpoint = Checkpoint.open(dir);
        SafetensorsFile expected = SafetensorsFile.open(dir.resolve("expected.safetensors"));
        CausalLm model = checkpoint.load(Device.cpu(), DataType.FLOAT32);
        NDManager m = NDManager.newBaseManager()) {
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
      CausalLm.Output out = model.forward(ids, positions, AttentionMask.causal(t), all, null);
      for (int i = 0; i <= layers; i++) {
        NDArray want = expected.load("hidden_states." + i, m);
        assertClose(dir, "hidden_states." + i, want, out.hiddenStates().get(i), lengths);
      }
      assertClose(dir, "logits", expected.load("logits", m), model.logits(out.lastHidden()), lengths);
    }
  }

  /** Max abs difference over the real (unpadded) positions of [B, T, X] arrays. */
  private static void assertClose(Path dir, String name, NDArray want, NDArray got, long[] lengths) {
    assertEquals(want.getShape(), got.getShape(), dir.getFileName() + " " + name + " shape");
    int t = (int) want.getShape().get(1);
    NDArray mask = want.getManager().create(realPositions(lengths, t), new Shape(lengths.length, t, 1));
    float diff = want.sub(got).abs().mul(mask).max().getFloat();
    assertTrue(diff <= TOLERANCE, dir.getFileName() + " " + name + ": max abs error " + diff + " > " + TOLERANCE);
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
