package dev.foresight.worker.scan;

import dev.foresight.worker.storage.StoredFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * A short value that changes when a checkpoint folder is rewritten, from what a listing shows of
 * the files that made it ready (name, size, modification time, ETag): never from their content,
 * which a scan does not read. A monitor can tell a re-saved step from one it has evaluated.
 */
final class Fingerprint {
  private static final int HEX_CHARS = 16;

  private Fingerprint() {}

  /** The folder's name goes in too, so that folders holding alike files do not share a fingerprint. */
  static String of(String folder, List<StoredFile> files) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    sha.update((folder + '\n').getBytes(StandardCharsets.UTF_8));
    files.stream().sorted(Comparator.comparing(StoredFile::name)).forEach(f -> sha.update(
        (f.name() + '\t' + f.size() + '\t' + f.modified().toEpochMilli() + '\t' + f.etag() + '\n')
            .getBytes(StandardCharsets.UTF_8)));
    return HexFormat.of().formatHex(sha.digest()).substring(0, HEX_CHARS);
  }
}
