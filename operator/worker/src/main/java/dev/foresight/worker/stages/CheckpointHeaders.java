package dev.foresight.worker.stages;

import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.bundle.ModelSignature;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.storage.FolderListing;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A checkpoint's {@link ModelSignature} from its config.json and tokenizer.json alone, read where
 * they are stored (through the folder listing the scan uses): the check stage compares every
 * labelled checkpoint without downloading a weight.
 */
final class CheckpointHeaders {
  static final int MAX_CONFIG_BYTES = 1 << 20;
  static final int MAX_TOKENIZER_BYTES = 64 << 20;

  private CheckpointHeaders() {}

  static ModelSignature read(Storage storage, String uri) throws IOException {
    String location = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    int slash = location.lastIndexOf('/');
    if (slash < 0 || location.substring(0, slash + 1).endsWith("://")) {
      throw WorkerException.invalidArguments("checkpoint " + uri + ": name the checkpoint's folder inside a bucket,"
          + " claim or directory");
    }
    FolderListing parent = storage.listing(location.substring(0, slash), Purpose.CHECKPOINT);
    String folder = location.substring(slash + 1);
    ModelConfig config = ModelConfig.parse(new String(file(parent, folder, Checkpoint.CONFIG, MAX_CONFIG_BYTES, uri),
        StandardCharsets.UTF_8));
    String tokenizer = Tokenizer.hashOf(file(parent, folder, Checkpoint.TOKENIZER, MAX_TOKENIZER_BYTES, uri));
    return ModelSignature.of(config, tokenizer);
  }

  private static byte[] file(FolderListing parent, String folder, String name, int maxBytes, String uri) {
    try {
      return parent.read(folder, name, maxBytes);
    } catch (IOException e) {
      throw new WorkerException(WorkerExitCode.CHECKPOINT_NOT_FOUND, "checkpoint " + uri
          + ": cannot read its " + name + " (" + e.getMessage() + ")", e);
    }
  }
}
