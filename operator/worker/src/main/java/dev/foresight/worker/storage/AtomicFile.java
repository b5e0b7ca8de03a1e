package dev.foresight.worker.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that a reader (a rerun after SIGKILL, a crash or a full disk) finds either the
 * old file or the whole new one, never a part: the bytes go to a hidden sibling, which is then
 * renamed over the target (a rename within one folder is atomic on POSIX file systems).
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** Writes {@code text} (UTF-8) as the whole of {@code file}. */
  public static void write(Path file, String text) throws IOException {
    replace(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
  }

  /** Copies {@code source} over {@code target}. */
  public static void copy(Path source, Path target) throws IOException {
    replace(target, tmp -> Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING));
  }

  private interface Filler {
    void fill(Path tmp) throws IOException;
  }

  private static void replace(Path file, Filler filler) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
    try {
      filler.fill(tmp);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
