package dev.foresight.worker.storage;

import dev.foresight.api.StorageUri;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link FolderListing} of an S3 prefix. S3 has no empty folders: a prefix that holds nothing yet
 * (a run before its first checkpoint) lists no folders rather than failing; a missing bucket fails.
 */
final class S3FolderListing implements FolderListing {
  private final S3Store s3;
  private final StorageUri prefix;
  private final Purpose purpose;

  S3FolderListing(S3Store s3, StorageUri prefix, Purpose purpose) {
    this.s3 = s3;
    this.prefix = prefix;
    this.purpose = purpose;
  }

  @Override
  public String location() { return prefix.toString(); }

  @Override
  public void forEachFolder(Consumer<String> folder) {
    s3.forEachFolder(prefix, purpose, folder);
  }

  @Override
  public List<StoredFile> files(String folder) {
    return s3.files(prefix.resolve(folder), purpose);
  }

  @Override
  public byte[] read(String folder, String file, int maxBytes) throws IOException {
    return s3.read(prefix.resolve(folder).resolve(file), purpose, maxBytes);
  }
}
