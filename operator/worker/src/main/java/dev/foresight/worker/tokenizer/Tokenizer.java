package dev.foresight.worker.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A checkpoint's tokenizer ({@code tokenizer.json} through the Hugging Face tokenizers library,
 * offline) with its BOS and EOS ids, resolved as transformers does: generation_config.json first,
 * then config.json, then the token strings of tokenizer_config.json.
 */
public final class Tokenizer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HuggingFaceTokenizer tokenizer;
  private final JsonNode tokenizerJson;
  private final OptionalInt bos;
  private final Set<Integer> eos;
  private final String hash;

  private Tokenizer(HuggingFaceTokenizer tokenizer, JsonNode tokenizerJson, OptionalInt bos, Set<Integer> eos, String hash) {
    this.tokenizer = tokenizer;
    this.tokenizerJson = tokenizerJson;
    this.bos = bos;
    this.eos = Set.copyOf(eos);
    this.hash = hash;
  }

  /** Opens the tokenizer files in a checkpoint (or tokenizer) directory. */
  public static Tokenizer open(Path directory) throws CheckpointException {
    Path file = directory.resolve(Checkpoint.TOKENIZER);
    if (!Files.isRegularFile(file)) {
      throw new CheckpointException("checkpoint " + directory + " has no " + Checkpoint.TOKENIZER);
    }
    try {
      JsonNode json = JSON.readTree(file.toFile());
      JsonNode tokenizerConfig = readOptional(directory.resolve(Checkpoint.TOKENIZER_CONFIG));
      JsonNode generation = readOptional(directory.resolve(Checkpoint.GENERATION_CONFIG));
      JsonNode config = readOptional(directory.resolve(Checkpoint.CONFIG));
      HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(file,
          Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false"));
      Set<Integer> eos = ids(generation.get("eos_token_id"));
      if (eos.isEmpty()) {
        eos = ids(config.get("eos_token_id"));
      }
      if (eos.isEmpty()) {
        tokenId(json, tokenString(tokenizerConfig.get("eos_token"))).ifPresent(eos::add);
      }
      Set<Integer> bosIds = ids(generation.get("bos_token_id"));
      if (bosIds.isEmpty()) {
        bosIds = ids(config.get("bos_token_id"));
      }
      OptionalInt bos = bosIds.isEmpty()
          ? tokenId(json, tokenString(tokenizerConfig.get("bos_token")))
          : OptionalInt.of(bosIds.iterator().next());
      return new Tokenizer(hf, json, bos, eos, canonicalHash(json));
    } catch (IOException | RuntimeException e) {
      throw new CheckpointException("cannot load " + file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode readOptional(Path file) throws IOException {
    return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : JSON.createObjectNode();
  }

  private static Set<Integer> ids(JsonNode node) {
    Set<Integer> ids = new LinkedHashSet<>();
    if (node != null && node.isArray()) {
      node.forEach(n -> ids.add(n.asInt()));
    } else if (node != null && node.isIntegralNumber()) {
      ids.add(node.asInt());
    }
    return ids;
  }

  /** tokenizer_config.json writes a token as a string or as {"content": "..."}. */
  private static String tokenString(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return node.isObject() ? node.path("content").asText(null) : node.asText();
  }

  private static OptionalInt tokenId(JsonNode tokenizerJson, String token) {
    if (token == null) {
      return OptionalInt.empty();
    }
    for (JsonNode added : tokenizerJson.path("added_tokens")) {
      if (token.equals(added.path("content").asText())) {
        return OptionalInt.of(added.path("id").asInt());
      }
    }
    JsonNode id = tokenizerJson.path("model").path("vocab").get(token);
    return id != null && id.isIntegralNumber() ? OptionalInt.of(id.asInt()) : OptionalInt.empty();
  }

  /**
   * {@link #hash()} of a tokenizer.json's bytes, without loading the tokenizer: enough to tell
   * whether two checkpoints tokenize alike from their headers alone.
   */
  public static String hashOf(byte[] tokenizerJson) throws CheckpointException {
    try {
      return canonicalHash(JSON.readTree(tokenizerJson));
    } catch (IOException e) {
      throw new CheckpointException(Checkpoint.TOKENIZER + " is not JSON: " + e.getMessage(), e);
    }
  }

  /** sha256 of tokenizer.json with keys sorted: the same tokenizer hashes the same however it was written. */
  private static String canonicalHash(JsonNode json) throws IOException {
    ObjectMapper canonical = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    Object tree = canonical.treeToValue(json, Object.class);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.writeValueAsBytes(tree));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Token ids of {@code text}, with the special tokens tokenizer.json's post-processor adds (e.g. BOS). */
  public int[] encode(String text) { return encode(text, true); }

  public int[] encode(String text, boolean addSpecialTokens) {
    Encoding e = tokenizer.encode(text, addSpecialTokens, false);
    long[] ids = e.getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = Math.toIntExact(ids[i]);
    }
    return out;
  }

  /** The text of {@code ids}, special tokens left out. */
  public String decode(int[] ids) {
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      longs[i] = ids[i];
    }
    return tokenizer.decode(longs, true);
  }

  /** The id of a token string (special or in the vocabulary), if it has one. */
  public OptionalInt tokenId(String token) { return tokenId(tokenizerJson, token); }

  public OptionalInt bos() { return bos; }

  /** Ids that end a generation. */
  public Set<Integer> eos() { return eos; }

  /** Identifies the vocabulary and rules, for checking that a probe bundle fits a checkpoint. */
  public String hash() { return hash; }

  @Override
  public void close() { tokenizer.close(); }
}
