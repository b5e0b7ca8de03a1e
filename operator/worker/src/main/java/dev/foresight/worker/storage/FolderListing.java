package dev.foresight.worker.storage;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * The folders directly below a prefix and the files directly inside each, as a local (or mounted)
 * folder or an S3 prefix shows them: enough to decide what a folder holds without downloading it.
 * Storage that is missing, refuses the credentials or cannot be reached fails with a
 * {@link dev.foresight.worker.WorkerException} naming the prefix.
 */
public interface FolderListing {

  /** The prefix as the user wrote it, for messages. */
  String location();

  /** Hands over each folder's name as the listing goes (S3: page by page), so memory does not grow with the objects. */
  void forEachFolder(Consumer<String> folder);

  /** The files directly inside {@code folder}, sub-folders left out; empty when there are none (or it is gone). */
  List<StoredFile> files(String folder);

  /**
   * Reads one small file whole.
   *
   * @throws IOException when it is gone, unreadable or larger than {@code maxBytes}
   */
  byte[] read(String folder, String file, int maxBytes) throws IOException;
}
