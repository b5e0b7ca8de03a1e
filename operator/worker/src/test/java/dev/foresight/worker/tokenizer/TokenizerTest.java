package dev.foresight.worker.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.checkpoint.CheckpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

  @TempDir Path dir;

  @Test
  void characterTokenizerRoundTripsTextWithSpacesAndNewlines() throws Exception {
    String alphabet = "0123456789+= \nabc";
    CharacterTokenizer.write(dir, alphabet);
    try (Tokenizer t = Tokenizer.open(dir)) {
      int[] ids = t.encode("12+3 =\n15");
      assertEquals(1, ids[0], "BOS first");
      assertEquals(10, ids.length);
      assertEquals("12+3 =\n15", t.decode(ids));
      assertArrayEquals(new int[] {4 + 1, 4 + 2}, t.encode("12", false));
      assertEquals(OptionalInt.of(1), t.bos());
      assertEquals(Set.of(2), t.eos());
      assertEquals(OptionalInt.of(3), t.encode("z", false).length == 1 ? OptionalInt.of(t.encode("z", false)[0]) : OptionalInt.empty(),
          "unknown characters become <unk>");
      assertEquals(21, CharacterTokenizer.vocabSize(alphabet));
    }
  }

  @Test
  void hashIgnoresFormattingButNotVocabulary() throws Exception {
    CharacterTokenizer.write(dir, "abc");
    String hash;
    try (Tokenizer t = Tokenizer.open(dir)) {
      hash = t.hash();
    }
    ObjectMapper json = new ObjectMapper();
    Path file = dir.resolve(Checkpoint.TOKENIZER);
    Files.writeString(file, json.writeValueAsString(json.readTree(file.toFile()))); // compact, not pretty
    try (Tokenizer t = Tokenizer.open(dir)) {
      assertEquals(hash, t.hash());
    }
    CharacterTokenizer.write(dir, "abd");
    try (Tokenizer t = Tokenizer.open(dir)) {
      assertNotEquals(hash, t.hash());
    }
  }

  @Test
  void generationConfigOverridesEos() throws Exception {
    CharacterTokenizer.write(dir, "abc");
    Files.writeString(dir.resolve(Checkpoint.GENERATION_CONFIG), "{\"eos_token_id\": [2, 6], \"bos_token_id\": 1}");
    try (Tokenizer t = Tokenizer.open(dir)) {
      assertEquals(Set.of(2, 6), t.eos());
    }
  }

  @Test
  void eosAndBosComeFromGenerationConfigThenConfigThenTokenizerConfig() throws Exception {
    CharacterTokenizer.write(dir, "abc");
    // tokenizer_config.json may write a token as {"content": ...}; "c" is id 6 (specials 0-3, then a, b, c).
    Files.writeString(dir.resolve(Checkpoint.TOKENIZER_CONFIG), "{\"bos_token\": {\"content\": \"a\"}, \"eos_token\": \"c\"}");
    try (Tokenizer t = Tokenizer.open(dir)) {
      assertEquals(OptionalInt.of(4), t.bos());
      assertEquals(Set.of(6), t.eos());
    }
    Files.writeString(dir.resolve(Checkpoint.CONFIG), "{\"bos_token_id\": 5, \"eos_token_id\": [2, 5]}");
    try (Tokenizer t = Tokenizer.open(dir)) {
      assertEquals(OptionalInt.of(5), t.bos(), "config.json before tokenizer_config.json");
      assertEquals(Set.of(2, 5), t.eos());
    }
    Files.writeString(dir.resolve(Checkpoint.GENERATION_CONFIG), "{\"eos_token_id\": 3}");
    try (Tokenizer t = Tokenizer.open(dir)) {
      assertEquals(Set.of(3), t.eos(), "generation_config.json first");
      assertEquals(OptionalInt.of(5), t.bos(), "a key generation_config.json lacks comes from config.json");
    }
  }

  @Test
  void missingTokenizerIsACheckpointProblem() {
    CheckpointException e = assertThrows(CheckpointException.class, () -> Tokenizer.open(dir));
    assertTrue(e.getMessage().contains("tokenizer.json"));
  }
}
