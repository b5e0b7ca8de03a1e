package dev.foresight.worker.scan;

import dev.foresight.worker.storage.StoredFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One folder under the prefix whose name gives a step, with the files directly inside it. */
public final class CheckpointFolder {
  private final String name;
  private final long step;
  private final Map<String, StoredFile> files = new LinkedHashMap<>();

  public CheckpointFolder(String name, long step, List<StoredFile> files) {
    this.name = name;
    this.step = step;
    files.forEach(f -> this.files.put(f.name(), f));
  }

  public String name() { return name; }

  public long step() { return step; }

  public Optional<StoredFile> file(String fileName) {
    return Optional.ofNullable(files.get(fileName));
  }

  public boolean has(String fileName) { return files.containsKey(fileName); }

  public Iterable<StoredFile> files() { return files.values(); }
}
