package dev.foresight.worker.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.foresight.worker.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a character-level tokenizer.json (one token per character of an alphabet, plus
 * {@code <pad>}, {@code <bos>}, {@code <eos>}, {@code <unk>}) that the Hugging Face tokenizers
 * library and transformers' AutoTokenizer load: a BPE model with no merges splits text into
 * characters, a template post-processor adds BOS, a Fuse decoder joins characters back.
 */
public final class CharacterTokenizer {

  public static final String PAD = "<pad>";
  public static final String BOS = "<bos>";
  public static final String EOS = "<eos>";
  public static final String UNK = "<unk>";
  /** The ids of the special tokens: pad 0, bos 1, eos 2, unk 3; characters follow from 4. */
  public static final List<String> SPECIALS = List.of(PAD, BOS, EOS, UNK);

  private CharacterTokenizer() {}

  /** The vocabulary size for an alphabet: its distinct characters plus the four specials. */
  public static int vocabSize(String alphabet) {
    return SPECIALS.size() + distinct(alphabet).size();
  }

  private static Set<String> distinct(String alphabet) {
    Set<String> chars = new LinkedHashSet<>();
    alphabet.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
    return chars;
  }

  /** Writes tokenizer.json and tokenizer_config.json into {@code directory}. */
  public static void write(Path directory, String alphabet) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (int id = 0; id < SPECIALS.size(); id++) {
      added.addObject().put("id", id).put("content", SPECIALS.get(id)).put("single_word", false)
          .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
    }
    root.putNull("normalizer");
    root.putNull("pre_tokenizer");
    ObjectNode post = root.putObject("post_processor");
    post.put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    single.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
    single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    ArrayNode pair = post.putArray("pair");
    pair.addObject().putObject("SpecialToken").put("id", BOS).put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
    pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
    ObjectNode bos = post.putObject("special_tokens").putObject(BOS);
    bos.put("id", BOS);
    bos.putArray("ids").add(1);
    bos.putArray("tokens").add(BOS);
    root.putObject("decoder").put("type", "Fuse");
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.put("unk_token", UNK);
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    ObjectNode vocab = model.putObject("vocab");
    for (int id = 0; id < SPECIALS.size(); id++) {
      vocab.put(SPECIALS.get(id), id);
    }
    int id = SPECIALS.size();
    for (String c : distinct(alphabet)) {
      vocab.put(c, id++);
    }
    model.putArray("merges");
    Files.createDirectories(directory);
    Files.writeString(directory.resolve(Checkpoint.TOKENIZER), root.toPrettyString());

    ObjectNode config = json.createObjectNode();
    config.put("tokenizer_class", "PreTrainedTokenizerFast");
    config.put("bos_token", BOS);
    config.put("eos_token", EOS);
    config.put("pad_token", PAD);
    config.put("unk_token", UNK);
    config.put("model_max_length", 1 << 20);
    config.put("clean_up_tokenization_spaces", false);
    Files.writeString(directory.resolve(Checkpoint.TOKENIZER_CONFIG), config.toPrettyString());
  }
}
