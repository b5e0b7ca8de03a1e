package dev.foresight.worker.scan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Writes checkpoint folders as trainers leave them (tiny stand-ins for weights), with chosen modification times. */
public final class CheckpointLayout {
  private final Path root;

  public CheckpointLayout(Path root) {
    this.root = root;
  }

  public Path root() { return root; }

  /** A file in {@code folder} (created as needed), last modified at {@code modified}. */
  public CheckpointLayout file(String folder, String name, String content, Instant modified) {
    try {
      Path dir = Files.createDirectories(root.resolve(folder));
      Path f = dir.resolve(name);
      Files.writeString(f, content, StandardCharsets.UTF_8);
      Files.setLastModifiedTime(f, FileTime.from(modified));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public CheckpointLayout marker(String folder, String marker, Instant modified) {
    return file(folder, marker, "", modified);
  }

  /** config.json and a single model.safetensors. */
  public CheckpointLayout single(String folder, Instant modified) {
    return file(folder, "config.json", "{}", modified).file(folder, "model.safetensors", "weights", modified);
  }

  /** config.json, the index naming {@code shards} shards, and those shards but the {@code missing} ones (1-based). */
  public CheckpointLayout sharded(String folder, int shards, Set<Integer> missing, Instant modified) {
    file(folder, "config.json", "{}", modified);
    String weightMap = IntStream.rangeClosed(1, shards)
        .mapToObj(i -> "\"layer." + i + ".weight\":\"" + shard(i, shards) + "\"")
        .collect(Collectors.joining(","));
    file(folder, "model.safetensors.index.json", "{\"metadata\":{\"total_size\":" + shards + "},\"weight_map\":{" + weightMap + "}}",
        modified);
    for (int i = 1; i <= shards; i++) {
      if (!missing.contains(i)) {
        file(folder, shard(i, shards), "shard " + i, modified);
      }
    }
    return this;
  }

  public static String shard(int i, int of) {
    return String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i, of);
  }

  public CheckpointLayout folder(String name) {
    try {
      Files.createDirectories(root.resolve(name));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
