package dev.foresight.worker.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.model.TinyModels;
import dev.foresight.worker.safetensors.SafetensorsDtype;
import dev.foresight.worker.safetensors.SafetensorsWeights;
import dev.foresight.worker.safetensors.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CheckpointTest {

  private static NDManager manager;

  @TempDir Path dir;

  @BeforeAll
  static void engine() { manager = NDManager.newBaseManager(); }

  @AfterAll
  static void close() { manager.close(); }

  private static float[] logits(CausalLm model) {
    try (NDManager m = manager.newSubManager()) {
      return model.logitsForSequences(m.create(new long[] {1, 4, 9, 16, 25, 36, 49}, new Shape(1, 7))).toFloatArray();
    }
  }

  private static float maxDiff(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void savedModelLoadsBackIdentically(Family family) throws Exception {
    try (CausalLm model = TinyModels.model(family, manager, 41)) {
      CheckpointWriter.write(model, dir, null, SafetensorsDtype.F32);
      try (Checkpoint checkpoint = Checkpoint.open(dir); CausalLm loaded = checkpoint.load(Device.cpu(), DataType.FLOAT32)) {
        assertEquals(model.config(), checkpoint.config());
        assertEquals(model.parameterCount(), checkpoint.parameterCount());
        assertEquals(Map.of("F32", model.parameterCount()), checkpoint.parametersByDtype());
        assertEquals(0f, maxDiff(logits(model), logits(loaded)));
      }
    }
  }

  @Test
  void bf16CheckpointLoadsWithinBf16Precision() throws Exception {
    try (CausalLm model = TinyModels.model(Family.LLAMA, manager, 42)) {
      CheckpointWriter.write(model, dir, null, SafetensorsDtype.BF16);
      try (Checkpoint checkpoint = Checkpoint.open(dir); CausalLm loaded = checkpoint.load(Device.cpu(), DataType.FLOAT32)) {
        assertEquals(Map.of("BF16", model.parameterCount()), checkpoint.parametersByDtype());
        assertEquals("bfloat16", checkpoint.config().torchDtype());
        float[] expected = logits(model);
        float diff = maxDiff(expected, logits(loaded));
        assertTrue(diff > 0 && diff < 0.1, "bf16 rounding moves logits a little, not a lot: " + diff);
      }
    }
  }

  @Test
  void bfloat16IsHeldOnlyOnAGpuWithAJniThatMapsIt() {
    assertTrue(CheckpointWeights.holdsBfloat16(Device.gpu(0), true), "bf16 bytes go to the GPU as they are");
    assertFalse(CheckpointWeights.holdsBfloat16(Device.gpu(0), false), "DJL 0.36's JNI: widened on the host");
    assertFalse(CheckpointWeights.holdsBfloat16(Device.cpu(), true), "the CPU path stays float32");
  }

  /** With DJL 0.36's own JNI (the build's): with a bfloat16 JNI declared, Bfloat16JniTest runs instead. */
  @Test
  @DisabledIfEnvironmentVariable(named = "FORESIGHT_JNI_BFLOAT16", matches = "1")
  void bfloat16WithoutADeclaredJniIsRefusedBeforeItReachesTheEngine() throws Exception {
    try (CausalLm model = TinyModels.model(Family.LLAMA, manager, 44)) {
      CheckpointWriter.write(model, dir, null, SafetensorsDtype.BF16);
      try (Checkpoint checkpoint = Checkpoint.open(dir)) {
        // Refused in Java: reaching DJL 0.36's JNI with bfloat16 would abort this JVM.
        var e = assertThrows(IllegalArgumentException.class, () -> checkpoint.load(Device.cpu(), DataType.BFLOAT16));
        assertTrue(e.getMessage().contains("FORESIGHT_JNI_BFLOAT16"), e.getMessage());
      }
    }
  }

  @Test
  void float16LoadKeepsHalfPrecisionThroughout() throws Exception {
    // CUDA runs float16; libtorch's CPU half kernels let the dtype plumbing be tested here.
    try (CausalLm model = TinyModels.model(Family.OLMO3, manager, 48)) {
      CheckpointWriter.write(model, dir, null, SafetensorsDtype.BF16);
      try (Checkpoint checkpoint = Checkpoint.open(dir); CausalLm half = checkpoint.load(Device.cpu(), DataType.FLOAT16);
          NDManager m = manager.newSubManager()) {
        NDArray ids = m.create(new long[] {1, 4, 9, 16, 25, 36, 49}, new Shape(1, 7));
        NDArray logits = half.logitsForSequences(ids);
        assertEquals(DataType.FLOAT16, logits.getDataType(), "no silent promotion to float32 on the way");
        float diff = maxDiff(logits(model), logits.toType(DataType.FLOAT32, false).toFloatArray());
        assertTrue(diff < 0.15, "float16 logits stay close to float32: " + diff);
      }
    }
  }

  @Test
  void shardedCheckpointLoadsLikeOneFile() throws Exception {
    try (CausalLm model = TinyModels.model(Family.QWEN2, manager, 43)) {
      CheckpointWriter.write(model, dir, null, SafetensorsDtype.F32);
      Path sharded = dir.resolve("sharded");
      Files.createDirectories(sharded);
      Files.copy(dir.resolve(Checkpoint.CONFIG), sharded.resolve(Checkpoint.CONFIG));
      SafetensorsWriter first = new SafetensorsWriter();
      SafetensorsWriter second = new SafetensorsWriter();
      StringBuilder map = new StringBuilder();
      int i = 0;
      for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
        boolean one = i++ % 2 == 0;
        (one ? first : second).add(e.getKey(), e.getValue());
        map.append(map.length() == 0 ? "" : ",").append('"').append(e.getKey()).append("\":\"")
            .append(one ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors").append('"');
      }
      first.write(sharded.resolve("model-00001-of-00002.safetensors"));
      second.write(sharded.resolve("model-00002-of-00002.safetensors"));
      Files.writeString(sharded.resolve(SafetensorsWeights.INDEX_FILE), "{\"weight_map\":{" + map + "}}");
      try (Checkpoint checkpoint = Checkpoint.open(sharded); CausalLm loaded = checkpoint.load(Device.cpu(), DataType.FLOAT32)) {
        assertEquals(2, checkpoint.weights().files().size());
        assertEquals(0f, maxDiff(logits(model), logits(loaded)));
      }
    }
  }

  @Test
  void missingAndMisshapedWeightsAreAllListed() throws Exception {
    try (CausalLm model = TinyModels.model(Family.OLMO2, manager, 44)) {
      SafetensorsWriter writer = new SafetensorsWriter();
      model.parameters().forEach((name, array) -> {
        if (name.equals("model.layers.1.mlp.up_proj.weight")) {
          return; // missing
        }
        writer.add(name, name.equals("model.norm.weight") ? array.get("0:16") : array); // misshaped
      });
      writer.write(dir.resolve(SafetensorsWeights.SINGLE_FILE));
      Files.writeString(dir.resolve(Checkpoint.CONFIG), model.config().toJson());
      try (Checkpoint checkpoint = Checkpoint.open(dir)) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> checkpoint.load(Device.cpu(), DataType.FLOAT32));
        assertTrue(e.getMessage().contains("missing model.layers.1.mlp.up_proj.weight (48, 32)"), e.getMessage());
        assertTrue(e.getMessage().contains("model.norm.weight has shape (16), expected (32)"), e.getMessage());
        assertTrue(e.getMessage().contains("2 problem(s)"), e.getMessage());
        assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND, e.exitCode());
      }
    }
  }

  @Test
  void perHeadQkNormIsToldApartByItsShape() throws Exception {
    // OLMo-core can normalise q and k per head: weights of [head_dim] instead of [heads·head_dim].
    try (CausalLm model = TinyModels.model(Family.OLMO2, manager, 45)) {
      SafetensorsWriter writer = new SafetensorsWriter();
      model.parameters().forEach((name, array) ->
          writer.add(name, name.endsWith("q_norm.weight") || name.endsWith("k_norm.weight") ? array.get("0:8") : array));
      writer.write(dir.resolve(SafetensorsWeights.SINGLE_FILE));
      Files.writeString(dir.resolve(Checkpoint.CONFIG), model.config().toJson());
      try (Checkpoint checkpoint = Checkpoint.open(dir); CausalLm loaded = checkpoint.load(Device.cpu(), DataType.FLOAT32)) {
        assertEquals(new Shape(8), loaded.parameters().get("model.layers.0.self_attn.q_norm.weight").getShape());
        float[] out = logits(loaded);
        assertTrue(Float.isFinite(out[0]));
        assertNotEquals(0f, maxDiff(logits(model), out));
      }
    }
  }

  @Test
  void missingOrIncompleteDirectoriesSayWhat() throws Exception {
    CheckpointException missing = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir.resolve("nope")));
    assertTrue(missing.getMessage().startsWith("checkpoint not found"), missing.getMessage());
    CheckpointException noConfig = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
    assertTrue(noConfig.getMessage().contains("no config.json"), noConfig.getMessage());
    Files.writeString(dir.resolve(Checkpoint.CONFIG), TinyModels.config(Family.LLAMA).toJson());
    CheckpointException noWeights = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
    assertTrue(noWeights.getMessage().contains("has no weights"), noWeights.getMessage());
    Files.write(dir.resolve(SafetensorsWeights.SINGLE_FILE), new byte[] {1, 2, 3});
    CheckpointException corrupt = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
    assertTrue(corrupt.getMessage().startsWith("corrupt weights"), corrupt.getMessage());
    Files.writeString(dir.resolve(Checkpoint.CONFIG), "{\"architectures\": [\"GPT2LMHeadModel\"]}");
    CheckpointException unsupported = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir));
    assertTrue(unsupported.getMessage().contains("GPT2LMHeadModel") && unsupported.getMessage().contains("Olmo3ForCausalLM"),
        unsupported.getMessage());
  }

  @Test
  void fingerprintFollowsConfigAndHeaders() throws Exception {
    try (CausalLm model = TinyModels.model(Family.LLAMA, manager, 46)) {
      CheckpointWriter.write(model, dir, null, SafetensorsDtype.F32);
      String first;
      try (Checkpoint c = Checkpoint.open(dir)) {
        first = c.fingerprint();
        assertTrue(first.matches("sha256:[0-9a-f]{64}"), first);
      }
      try (Checkpoint c = Checkpoint.open(dir)) {
        assertEquals(first, c.fingerprint());
      }
      Files.writeString(dir.resolve(Checkpoint.CONFIG), Files.readString(dir.resolve(Checkpoint.CONFIG)).replace("1.0E-5", "1.0E-6"));
      try (Checkpoint c = Checkpoint.open(dir)) {
        assertNotEquals(first, c.fingerprint());
      }
    }
  }

  @Test
  void aDecoderLayerRunsOnItsOwnAndCopiesAreIndependent() throws Exception {
    try (CausalLm model = TinyModels.model(Family.OLMO3, manager, 47); NDManager m = manager.newSubManager()) {
      NDArray ids = m.create(new long[] {1, 4, 9, 16, 25, 36}, new Shape(1, 6));
      NDArray positions = m.arange(0, 6).toType(DataType.INT64, false).expandDims(0);
      var mask = dev.foresight.worker.model.AttentionMask.causal(6);
      var out = model.forward(ids, positions, mask, java.util.Set.of(1, 2), null);
      var layer = model.layers().get(1); // a sliding-window layer in this config
      var copy = layer.copy(m);
      assertEquals(layer.parameters().keySet(), copy.parameters().keySet());
      float[] expected = out.hiddenStates().get(2).toFloatArray();
      assertEquals(0f, maxDiff(expected, layer.forward(out.hiddenStates().get(1), positions, mask).toFloatArray()));
      assertEquals(0f, maxDiff(expected, copy.forward(out.hiddenStates().get(1), positions, mask).toFloatArray()));
      NDArray original = layer.parameters().get("model.layers.1.mlp.up_proj.weight");
      NDArray copied = copy.parameters().get("model.layers.1.mlp.up_proj.weight");
      copied.subi(1f);
      assertEquals(1f, original.sub(copied).mean().getFloat(), 1e-6, "the copy owns its memory");
    }
  }
}
