package dev.foresight.worker.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.foresight.worker.bench.ParityCheck;
import dev.foresight.worker.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
  static final double TOLERANCE = ParityCheck.FLOAT32_TOLERANCE;

  static List<Path> fixtures() throws IOException {
    return ParityCheck.fixtures(FIXTURES);
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
    Map<String, ParityCheck.Difference> differences = ParityCheck.compare(dir, List.of(Device.cpu()), DataType.FLOAT32);
    try (Checkpoint checkpoint = Checkpoint.open(dir)) {
      assertEquals(checkpoint.config().numLayers() + 2, differences.size(), "every hidden state and the logits");
    }
    differences.forEach((name, d) -> assertTrue(d.maxAbs() <= TOLERANCE,
        dir.getFileName() + " " + name + ": max abs error " + d.maxAbs() + " > " + TOLERANCE));
  }
}
