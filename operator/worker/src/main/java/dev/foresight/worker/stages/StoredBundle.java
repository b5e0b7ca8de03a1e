package dev.foresight.worker.stages;

import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A probe bundle folder in storage (the work folder's per-family bundles, the training's output).
 * A folder is a bundle once its {@value ProbeBundle#MANIFEST} is there ({@link ProbeBundle#read}
 * refuses a folder without one), so publishing removes an old manifest first, puts every other
 * file, and the manifest last: a reader finds the old bundle, no bundle, or the whole new one —
 * never new weights under an old manifest, nor a manifest without its weights.
 */
final class StoredBundle {
  private StoredBundle() {}

  static boolean exists(Storage storage, String folder) {
    return storage.exists(folder + "/" + ProbeBundle.MANIFEST, Purpose.OUTPUT);
  }

  /** The bundle at {@code folder}, fetched and checked. */
  static ProbeBundle read(Storage storage, String folder) {
    return ProbeBundle.read(storage.fetch(folder, Purpose.PROBE_BUNDLE));
  }

  /** Puts the bundle in the local folder {@code bundle} at {@code folder}, manifest last. */
  static void publish(Storage storage, Path bundle, String folder) throws IOException {
    storage.delete(folder + "/" + ProbeBundle.MANIFEST);
    List<Path> files;
    try (Stream<Path> s = Files.walk(bundle)) {
      // Hidden files are the download cache's bookkeeping, not the bundle's.
      files = s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
    }
    for (Path f : files) {
      String name = bundle.relativize(f).toString().replace('\\', '/');
      if (!name.equals(ProbeBundle.MANIFEST)) {
        storage.store(f, folder + "/" + name);
      }
    }
    storage.store(bundle.resolve(ProbeBundle.MANIFEST), folder + "/" + ProbeBundle.MANIFEST);
  }
}
