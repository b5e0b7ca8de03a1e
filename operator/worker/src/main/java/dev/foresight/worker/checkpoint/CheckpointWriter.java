package dev.foresight.worker.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.safetensors.SafetensorsDtype;
import dev.foresight.worker.safetensors.SafetensorsWeights;
import dev.foresight.worker.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Saves a model as a Hugging Face checkpoint that transformers loads with {@code from_pretrained}:
 * config.json, model.safetensors (float32 or bfloat16), generation_config.json, and the tokenizer
 * files copied from a directory that has them.
 */
public final class CheckpointWriter {

  private CheckpointWriter() {}

  /**
   * Writes {@code model} to {@code directory}.
   *
   * @param tokenizerDirectory where tokenizer.json and tokenizer_config.json are, or null
   * @param dtype F32 or BF16
   */
  public static void write(CausalLm model, Path directory, Path tokenizerDirectory, SafetensorsDtype dtype)
      throws IOException {
    Files.createDirectories(directory);
    SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
    model.parameters().forEach((name, array) -> writer.add(name, array, dtype));
    writer.write(directory.resolve(SafetensorsWeights.SINGLE_FILE));
    String torchDtype = switch (dtype) {
      case F32 -> "float32";
      case BF16 -> "bfloat16";
      case F16 -> "float16";
      default -> throw new IllegalArgumentException("checkpoints are written as F32, F16 or BF16, not " + dtype);
    };
    Files.writeString(directory.resolve(Checkpoint.CONFIG), model.config().withTorchDtype(torchDtype).toJson());
    ObjectMapper json = new ObjectMapper();
    ObjectNode generation = json.createObjectNode();
    if (model.config().bosTokenId() >= 0) {
      generation.put("bos_token_id", model.config().bosTokenId());
    }
    if (!model.config().eosTokenIds().isEmpty()) {
      generation.put("eos_token_id", model.config().eosTokenIds().get(0));
    }
    Files.writeString(directory.resolve(Checkpoint.GENERATION_CONFIG), generation.toPrettyString());
    if (tokenizerDirectory != null) {
      for (String file : new String[] {Checkpoint.TOKENIZER, Checkpoint.TOKENIZER_CONFIG}) {
        Path source = tokenizerDirectory.resolve(file);
        if (Files.isRegularFile(source)) {
          Files.copy(source, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
