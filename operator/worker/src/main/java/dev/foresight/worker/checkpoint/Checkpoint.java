package dev.foresight.worker.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.model.DevicePlan;
import dev.foresight.worker.runtime.TorchEngine;
import dev.foresight.worker.safetensors.SafetensorsFile;
import dev.foresight.worker.safetensors.SafetensorsFormatException;
import dev.foresight.worker.safetensors.SafetensorsWeights;
import dev.foresight.worker.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A Hugging Face checkpoint directory: {@code config.json}, safetensors weights (one file or
 * shards), and tokenizer files. Opening reads the config and the weight headers only; {@link #load}
 * materialises the model on a device.
 */
public final class Checkpoint implements AutoCloseable {

  public static final String CONFIG = "config.json";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  public static final String GENERATION_CONFIG = "generation_config.json";

  private final Path directory;
  private final ModelConfig config;
  private final byte[] configBytes;
  private final SafetensorsWeights weights;

  private Checkpoint(Path directory, ModelConfig config, byte[] configBytes, SafetensorsWeights weights) {
    this.directory = directory;
    this.config = config;
    this.configBytes = configBytes;
    this.weights = weights;
  }

  /**
   * Opens {@code directory}.
   *
   * @throws CheckpointException if it is missing, lacks config.json or weights, has a malformed
   *     file, or is of an unsupported architecture
   */
  public static Checkpoint open(Path directory) throws CheckpointException {
    if (!Files.exists(directory)) {
      throw new CheckpointException("checkpoint not found: " + directory + " does not exist");
    }
    if (!Files.isDirectory(directory)) {
      throw new CheckpointException("checkpoint not found: " + directory + " is not a directory");
    }
    Path configFile = directory.resolve(CONFIG);
    if (!Files.isRegularFile(configFile)) {
      throw new CheckpointException("not a Hugging Face checkpoint: " + directory + " has no " + CONFIG);
    }
    byte[] configBytes;
    try {
      configBytes = Files.readAllBytes(configFile);
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + configFile + ": " + e.getMessage(), e);
    }
    ModelConfig config = ModelConfig.parse(new String(configBytes, StandardCharsets.UTF_8));
    SafetensorsWeights weights;
    try {
      weights = SafetensorsWeights.open(directory);
    } catch (NoSuchFileException e) {
      throw new CheckpointException("checkpoint " + directory + " has no weights: " + e.getFile()
          + (e.getReason() == null ? "" : " (" + e.getReason() + ")"), e);
    } catch (SafetensorsFormatException e) {
      throw new CheckpointException("corrupt weights: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new CheckpointException("cannot read the weights of " + directory + ": " + e.getMessage(), e);
    }
    return new Checkpoint(directory, config, configBytes, weights);
  }

  public Path directory() { return directory; }

  /**
   * The training step recorded beside the weights: {@code global_step} of a Hugging Face Trainer's
   * {@code trainer_state.json}, or null when the checkpoint has none that says.
   */
  public Long trainingStep() {
    Path state = directory.resolve("trainer_state.json");
    try {
      if (Files.isRegularFile(state)) {
        JsonNode step = new ObjectMapper().readTree(state.toFile()).get("global_step");
        if (step != null && step.canConvertToLong() && step.asLong() >= 0) {
          return step.asLong();
        }
      }
    } catch (IOException e) {
      // An unreadable state file says nothing of the step; a probe that needs it asks for --step.
    }
    return null;
  }

  public ModelConfig config() { return config; }

  public SafetensorsWeights weights() { return weights; }

  /** Parameters stored in the weights (a tied output head counts once). */
  public long parameterCount() {
    long n = 0;
    for (SafetensorsFile f : weights.files()) {
      for (TensorInfo t : f.tensors()) {
        n += t.elementCount();
      }
    }
    return n;
  }

  /** Parameter count per stored dtype, e.g. {BF16=7298011136}. */
  public Map<String, Long> parametersByDtype() {
    Map<String, Long> byDtype = new TreeMap<>();
    for (SafetensorsFile f : weights.files()) {
      for (TensorInfo t : f.tensors()) {
        byDtype.merge(t.dtype().name(), t.elementCount(), Long::sum);
      }
    }
    return byDtype;
  }

  /**
   * {@code sha256:<hex>} over config.json and every weight file's header (names, dtypes, shapes,
   * offsets): cheap to compute on a 15 GB checkpoint, and changes when any of those does.
   */
  public String fingerprint() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(configBytes);
      for (SafetensorsFile f : weights.files()) {
        sha.update(f.path().getFileName().toString().getBytes(StandardCharsets.UTF_8));
        sha.update(f.headerJson());
      }
      return "sha256:" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Weights the config calls for that are missing or misshaped (empty when the checkpoint is
   * complete), found without loading anything.
   */
  public List<String> weightProblems() throws IOException {
    try (NDManager scratch = NDManager.newBaseManager(Device.cpu())) {
      CheckpointWeights dry = new CheckpointWeights(weights, scratch, DataType.FLOAT32, true);
      new CausalLm(config, dry, scratch, DataType.FLOAT32);
      return List.copyOf(dry.problems());
    }
  }

  /**
   * Loads the model on {@code device} in {@code dtype} (FLOAT32, or FLOAT16 or BFLOAT16, which the command line allows on a GPU only).
   *
   * @throws CheckpointException listing every missing or misshaped weight
   */
  public CausalLm load(Device device, DataType dtype) throws IOException {
    return load(DevicePlan.single(device, config.numLayers()), dtype);
  }

  /** Loads the model on one device, or split by layers over several ({@link DevicePlan#balance}). */
  public CausalLm load(List<Device> devices, DataType dtype) throws IOException {
    return load(devices.size() == 1 ? DevicePlan.single(devices.get(0), config.numLayers())
        : DevicePlan.balance(config, devices), dtype);
  }

  /**
   * Loads the model split over {@code plan}'s devices, each weight read from its file straight
   * onto the device the plan gives it.
   */
  public CausalLm load(DevicePlan plan, DataType dtype) throws IOException {
    if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16 && dtype != DataType.BFLOAT16) {
      throw new IllegalArgumentException("dtype must be float32, float16 or bfloat16, not " + dtype);
    }
    if (dtype == DataType.BFLOAT16 && !TorchEngine.mapsBfloat16()) {
      throw new IllegalArgumentException("dtype bfloat16 needs a JNI library that maps it (" + TorchEngine.BFLOAT16_JNI
          + "=1); DJL 0.36's aborts the JVM on bfloat16");
    }
    List<String> problems = weightProblems();
    if (!problems.isEmpty()) {
      throw new CheckpointException(config.family().architecture() + " checkpoint " + directory
          + " does not match its config.json: " + problems.size() + " problem(s): "
          + String.join("; ", problems.subList(0, Math.min(20, problems.size())))
          + (problems.size() > 20 ? "; …" : ""));
    }
    NDManager manager = NDManager.newBaseManager(plan.first());
    try {
      // One manager per device, all under the first: closing the model frees every device.
      Map<Device, NDManager> managers = new HashMap<>();
      managers.put(plan.first(), manager);
      for (Device d : plan.devices()) {
        managers.computeIfAbsent(d, manager::newSubManager);
      }
      return new CausalLm(config, new CheckpointWeights(weights, name -> managers.get(plan.of(name)), dtype, false),
          manager, dtype, plan);
    } catch (SafetensorsFormatException e) {
      manager.close();
      throw new CheckpointException("corrupt weights: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    weights.close();
  }
}
