package dev.foresight.worker.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWeightsTest {

  @TempDir Path dir;

  private void shards() throws Exception {
    new SafetensorsWriter().add("a", new float[] {1, 2}, new long[] {2}, SafetensorsDtype.F32)
        .write(dir.resolve("model-00001-of-00002.safetensors"));
    new SafetensorsWriter().add("b", new float[] {3}, new long[] {1}, SafetensorsDtype.BF16)
        .write(dir.resolve("model-00002-of-00002.safetensors"));
  }

  private void index(String weightMap) throws Exception {
    Files.writeString(dir.resolve(SafetensorsWeights.INDEX_FILE),
        "{\"metadata\": {\"total_size\": 10}, \"weight_map\": " + weightMap + "}");
  }

  @Test
  void shardsReadAsOneMap() throws Exception {
    shards();
    index("{\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00002-of-00002.safetensors\"}");
    try (SafetensorsWeights w = SafetensorsWeights.open(dir); NDManager m = NDManager.newBaseManager()) {
      assertEquals(List.of("a", "b"), List.copyOf(w.names()));
      assertEquals(2, w.files().size());
      assertArrayEquals(new float[] {1, 2}, w.load("a", m).toFloatArray());
      assertArrayEquals(new float[] {3}, w.load("b", m).toFloatArray());
      assertEquals(SafetensorsDtype.BF16, w.find("b").orElseThrow().dtype());
      assertEquals(10, w.dataBytes());
    }
  }

  @Test
  void singleFileWithoutIndex() throws Exception {
    new SafetensorsWriter().add("x", new float[] {5}, new long[] {1}, SafetensorsDtype.F32)
        .write(dir.resolve(SafetensorsWeights.SINGLE_FILE));
    try (SafetensorsWeights w = SafetensorsWeights.open(dir)) {
      assertTrue(w.contains("x"));
      assertEquals(Optional.empty(), w.find("y"));
    }
  }

  @Test
  void missingShard() throws Exception {
    shards();
    index("{\"a\": \"model-00001-of-00002.safetensors\", \"c\": \"model-00003-of-00003.safetensors\"}");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SafetensorsWeights.open(dir));
    assertTrue(e.getMessage().contains("model-00003-of-00003.safetensors"), e.getMessage());
    assertTrue(e.getMessage().contains("'c'"), e.getMessage());
  }

  @Test
  void shardWithoutTheTensorTheIndexPromises() throws Exception {
    shards();
    index("{\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00001-of-00002.safetensors\"}");
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsWeights.open(dir));
    assertEquals(Optional.of("b"), e.tensor());
    assertTrue(e.file().endsWith("model-00001-of-00002.safetensors"));
  }

  @Test
  void indexMayNotPointOutsideTheDirectory() throws Exception {
    shards();
    index("{\"a\": \"../elsewhere.safetensors\"}");
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsWeights.open(dir));
    assertTrue(e.problem().contains("plain file name"), e.getMessage());
  }

  @Test
  void malformedIndex() throws Exception {
    Files.writeString(dir.resolve(SafetensorsWeights.INDEX_FILE), "{\"weight_map\": [");
    assertThrows(SafetensorsFormatException.class, () -> SafetensorsWeights.open(dir));
    Files.writeString(dir.resolve(SafetensorsWeights.INDEX_FILE), "{\"metadata\": {}}");
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsWeights.open(dir));
    assertTrue(e.problem().contains("weight_map"));
  }

  @Test
  void noWeightsAtAll() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SafetensorsWeights.open(dir));
    assertTrue(e.getMessage().contains(SafetensorsWeights.SINGLE_FILE));
  }
}
