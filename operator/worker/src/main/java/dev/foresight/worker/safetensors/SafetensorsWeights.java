package dev.foresight.worker.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The weights of a checkpoint directory: {@code model.safetensors}, or the shards listed in
 * {@code model.safetensors.index.json} ({@code {"weight_map": {"tensor": "shard file"}}}), seen as
 * one name → tensor map.
 */
public final class SafetensorsWeights implements AutoCloseable {

  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private final List<SafetensorsFile> files;
  private final Map<String, SafetensorsFile> fileOf;

  private SafetensorsWeights(List<SafetensorsFile> files, Map<String, SafetensorsFile> fileOf) {
    this.files = List.copyOf(files);
    this.fileOf = Collections.unmodifiableMap(fileOf);
  }

  /**
   * Opens the weights in {@code directory} (or the single file {@code directory} names).
   *
   * @throws NoSuchFileException when neither the index nor the single file is there, or a shard
   *     the index names is missing
   * @throws SafetensorsFormatException when the index or a file is malformed, or a shard lacks a
   *     tensor the index places in it
   */
  public static SafetensorsWeights open(Path directory) throws IOException {
    if (Files.isRegularFile(directory)) {
      return single(directory);
    }
    Path index = directory.resolve(INDEX_FILE);
    if (Files.isRegularFile(index)) {
      return sharded(directory, index);
    }
    Path single = directory.resolve(SINGLE_FILE);
    if (Files.isRegularFile(single)) {
      return single(single);
    }
    throw new NoSuchFileException(directory.toString(), null,
        "no " + SINGLE_FILE + " and no " + INDEX_FILE + " (only safetensors weights are supported)");
  }

  private static SafetensorsWeights single(Path file) throws IOException {
    SafetensorsFile f = SafetensorsFile.open(file);
    Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
    for (TensorInfo t : f.tensors()) {
      fileOf.put(t.name(), f);
    }
    return new SafetensorsWeights(List.of(f), fileOf);
  }

  private static SafetensorsWeights sharded(Path directory, Path index) throws IOException {
    Map<String, String> weightMap = SafetensorsIndex.read(index);
    Map<String, SafetensorsFile> opened = new LinkedHashMap<>();
    Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, String> e : weightMap.entrySet()) {
        String shardName = e.getValue();
        SafetensorsFile shard = opened.get(shardName);
        if (shard == null) {
          Path shardPath = directory.resolve(shardName);
          if (!Files.isRegularFile(shardPath)) {
            throw new NoSuchFileException(shardPath.toString(), null,
                "shard named in " + INDEX_FILE + " for tensor '" + e.getKey() + "' is missing");
          }
          shard = SafetensorsFile.open(shardPath);
          opened.put(shardName, shard);
        }
        if (shard.find(e.getKey()).isEmpty()) {
          throw new SafetensorsFormatException(shard.path(), e.getKey(), INDEX_FILE + " places it in this shard, which lacks it");
        }
        fileOf.put(e.getKey(), shard);
      }
    } catch (IOException | RuntimeException ex) {
      for (SafetensorsFile f : opened.values()) {
        f.close();
      }
      throw ex;
    }
    return new SafetensorsWeights(new ArrayList<>(opened.values()), fileOf);
  }

  /** The tensor names, in file order. */
  public Set<String> names() { return fileOf.keySet(); }

  public Optional<TensorInfo> find(String name) {
    SafetensorsFile f = fileOf.get(name);
    return f == null ? Optional.empty() : f.find(name);
  }

  public boolean contains(String name) { return fileOf.containsKey(name); }

  /** Loads a tensor: see {@link SafetensorsFile#load(String, NDManager)}. */
  public NDArray load(String name, NDManager manager) throws IOException {
    return load(name, manager, false);
  }

  /** Loads a tensor: see {@link SafetensorsFile#load(String, NDManager, boolean)}. */
  public NDArray load(String name, NDManager manager, boolean holdBfloat16) throws IOException {
    SafetensorsFile f = fileOf.get(name);
    if (f == null) {
      throw new java.util.NoSuchElementException("no tensor '" + name + "' in " + files.get(0).path().getParent());
    }
    return f.load(name, manager, holdBfloat16);
  }

  /** The files, in index order. */
  public List<SafetensorsFile> files() { return files; }

  /** Total bytes of tensor data. */
  public long dataBytes() {
    long total = 0;
    for (SafetensorsFile f : files) {
      for (TensorInfo t : f.tensors()) {
        total += t.byteLength();
      }
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (SafetensorsFile f : files) {
      try {
        f.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
