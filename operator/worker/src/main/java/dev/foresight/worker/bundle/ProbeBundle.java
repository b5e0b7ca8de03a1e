package dev.foresight.worker.bundle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.checkpoint.CheckpointException;
import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.probe.HeadWeights;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.probe.SubmodelHead;
import dev.foresight.worker.probe.ProbeHead;
import dev.foresight.worker.probe.ProbeHeads;
import dev.foresight.worker.safetensors.SafetensorsFile;
import dev.foresight.worker.safetensors.SafetensorsFormatException;
import dev.foresight.worker.safetensors.SafetensorsWriter;
import dev.foresight.worker.safetensors.TensorInfo;
import dev.foresight.worker.storage.AtomicFile;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskFileException;
import dev.foresight.worker.tasks.TaskSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A probe bundle directory:
 * <pre>
 * probe.json            the {@link ProbeManifest}
 * weights.safetensors   the head's parameters by name (F32)
 * tasks/&lt;task&gt;.jsonl    the prompt sets it was trained on, one file per task
 * </pre>
 * {@link #read} checks all of it before anything runs: a bundle that is missing, corrupt or
 * inconsistent with itself is a {@link BundleException}; one that is sound but made for another
 * model is refused by {@link #checkFits} with a {@link ProbeIncompatibleException}.
 */
public final class ProbeBundle {
  public static final String MANIFEST = "probe.json";
  public static final String WEIGHTS = "weights.safetensors";
  public static final String TASKS = "tasks";

  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private final Path directory;
  private final ProbeManifest manifest;
  private final TaskCatalog tasks;

  private ProbeBundle(Path directory, ProbeManifest manifest, TaskCatalog tasks) {
    this.directory = directory;
    this.manifest = manifest;
    this.tasks = tasks;
  }

  public Path directory() { return directory; }

  public ProbeManifest manifest() { return manifest; }

  /** The prompt sets the probe was trained on, every one checked against its hash in probe.json. */
  public TaskCatalog tasks() { return tasks; }

  /**
   * The named tasks of the bundle (all of them when {@code names} is empty).
   *
   * @throws ProbeIncompatibleException for a task the probe was not trained on
   */
  public TaskCatalog tasks(List<String> names) {
    try {
      return tasks.select(names);
    } catch (WorkerException e) {
      throw new ProbeIncompatibleException("probe bundle " + directory, List.of(e.getMessage()));
    }
  }

  /**
   * Reads and checks the bundle in {@code directory}.
   *
   * @throws BundleException naming what is missing or corrupt
   * @throws ProbeIncompatibleException when a task file is not the prompt set the probe was trained on
   */
  public static ProbeBundle read(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new BundleException(directory, "is not a directory");
    }
    Path manifestFile = directory.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new BundleException(directory, "has no " + MANIFEST + ": not a probe bundle");
    }
    ProbeManifest manifest;
    try {
      manifest = JSON.readValue(manifestFile.toFile(), ProbeManifest.class);
    } catch (JsonProcessingException e) {
      throw new BundleException(directory, MANIFEST + " is malformed: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new BundleException(directory, "cannot read " + MANIFEST + ": " + e.getMessage(), e);
    }
    if (manifest == null) {
      throw new BundleException(directory, MANIFEST + " is empty");
    }
    List<String> problems = manifest.problems();
    if (!problems.isEmpty()) {
      throw new BundleException(directory, MANIFEST + ": " + String.join("; ", problems));
    }
    checkWeightsHeader(directory);
    List<TaskSet> sets = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<String, ProbeManifest.TaskEntry> e : manifest.tasks().entrySet()) {
      Path file = directory.resolve(TASKS).resolve(e.getKey() + TaskSet.EXTENSION);
      if (!Files.isRegularFile(file)) {
        throw new BundleException(directory, "task '" + e.getKey() + "' is listed in " + MANIFEST + " but "
            + directory.relativize(file) + " is missing");
      }
      TaskSet set;
      try {
        set = TaskSet.read(file);
      } catch (TaskFileException ex) {
        throw new BundleException(directory, ex.getMessage(), ex);
      }
      String hash = set.promptSetHash();
      if (!hash.equals(e.getValue().promptSetHash())) {
        mismatches.add("prompt set of task '" + e.getKey() + "': " + directory.relativize(file) + " hashes to " + hash
            + ", the probe was trained on " + e.getValue().promptSetHash());
      }
      sets.add(set);
    }
    if (!mismatches.isEmpty()) {
      throw new ProbeIncompatibleException("probe bundle " + directory, mismatches);
    }
    return new ProbeBundle(directory, manifest, TaskCatalog.of(sets));
  }

  private static void checkWeightsHeader(Path directory) {
    try (SafetensorsFile f = SafetensorsFile.open(directory.resolve(WEIGHTS))) {
      if (f.tensors().isEmpty()) {
        throw new BundleException(directory, WEIGHTS + " holds no tensors");
      }
    } catch (NoSuchFileException e) {
      throw new BundleException(directory, "has no " + WEIGHTS, e);
    } catch (SafetensorsFormatException e) {
      throw new BundleException(directory, "corrupt weights: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new BundleException(directory, "cannot read " + WEIGHTS + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code sha256:<hex>} over the bundle's files ({@value #MANIFEST}, {@value #WEIGHTS}, then each
   * task file in the manifest's order, each preceded by its name): two copies of a bundle share it
   * wherever they are stored, and any change to what a reader loads changes it.
   */
  public String fingerprint() {
    List<String> files = new ArrayList<>(List.of(MANIFEST, WEIGHTS));
    manifest.tasks().keySet().forEach(t -> files.add(TASKS + "/" + t + TaskSet.EXTENSION));
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String name : files) {
        sha.update((name + "\n").getBytes(StandardCharsets.UTF_8));
        try (InputStream in = Files.newInputStream(directory.resolve(name))) {
          byte[] buffer = new byte[1 << 16];
          for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
          }
        }
      }
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new BundleException(directory, "cannot read its files: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * Refuses a checkpoint the probe was not trained for.
   *
   * @throws ProbeIncompatibleException naming every mismatch (architecture, hidden size, layer count, tokenizer)
   */
  public void checkFits(ModelSignature checkpoint) {
    List<String> mismatches = manifest.model().mismatches(checkpoint);
    if (!mismatches.isEmpty()) {
      throw new ProbeIncompatibleException("probe bundle " + directory, mismatches);
    }
  }

  /**
   * Loads the head's weights into {@code manager}.
   *
   * @throws BundleException when a tensor is missing, extra, misshaped or unreadable
   */
  public ProbeHead loadHead(NDManager manager) {
    Map<String, NDArray> weights = new LinkedHashMap<>();
    String blockConfig;
    try (SafetensorsFile f = SafetensorsFile.open(directory.resolve(WEIGHTS))) {
      for (TensorInfo t : f.tensors()) {
        weights.put(t.name(), f.load(t.name(), manager));
      }
      blockConfig = f.metadata().get(SubmodelHead.CONFIG_METADATA);
    } catch (IOException e) {
      throw new BundleException(directory, "cannot read " + WEIGHTS + ": " + e.getMessage(), e);
    }
    try {
      HeadWeights loaded = HeadWeights.of(manager, weights);
      if (manifest.family() != ProbeFamily.SUBMODEL) {
        return ProbeHeads.create(manifest.head(), loaded, null);
      }
      if (blockConfig == null) {
        throw new IllegalArgumentException("its metadata lacks '" + SubmodelHead.CONFIG_METADATA + "'");
      }
      return ProbeHeads.loadSubmodel(manifest.head(), ModelConfig.parse(blockConfig), loaded);
    } catch (CheckpointException e) {
      throw new BundleException(directory, WEIGHTS + ": the submodel's config is invalid: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new BundleException(directory, WEIGHTS + " does not fit the " + manifest.family() + " head of "
          + MANIFEST + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a bundle into {@code directory} (created if needed; files of an older bundle there are
   * replaced). The manifest, which makes the folder a bundle, goes first out and last in: a write cut
   * short (SIGKILL, a full disk) leaves a folder no reader takes for a bundle, not an older manifest
   * over newer weights.
   */
  public static void write(Path directory, ProbeManifest manifest, ProbeHead head, TaskCatalog tasks) {
    try {
      Files.deleteIfExists(directory.resolve(MANIFEST));
      Files.createDirectories(directory.resolve(TASKS));
      SafetensorsWriter weights = new SafetensorsWriter().metadata("format", "foresight-probe");
      head.weights().forEach(weights::add);
      head.metadata().forEach(weights::metadata);
      weights.write(directory.resolve(WEIGHTS));
      for (TaskSet set : tasks.sets()) {
        set.write(directory.resolve(TASKS));
      }
      AtomicFile.write(directory.resolve(MANIFEST), JSON.writeValueAsString(manifest) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write probe bundle " + directory, e);
    }
  }
}
