package dev.foresight.worker.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.checkpoint.CheckpointWriter;
import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.runtime.GenerationTiming;
import dev.foresight.worker.runtime.Generator;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.runtime.Prefill;
import dev.foresight.worker.runtime.PrefillOptions;
import dev.foresight.worker.runtime.PromptStates;
import dev.foresight.worker.runtime.PromptTokens;
import dev.foresight.worker.runtime.SamplingOptions;
import dev.foresight.worker.safetensors.SafetensorsDtype;
import dev.foresight.worker.safetensors.SafetensorsFile;
import dev.foresight.worker.safetensors.SafetensorsWeights;
import dev.foresight.worker.safetensors.SafetensorsWriter;
import dev.foresight.worker.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The runtime's measurements (issue 3, "Benchmark"): loading a safetensors file against reading it
 * with {@code cat}, and prefill / KV-cache decode throughput of a Llama-shaped model. Each figure is
 * the best of a few runs after a warm-up; the caller prints them beside PyTorch's.
 */
public final class RuntimeBenchmark {

  /** One figure (seconds, or tokens per second): this runtime's and PyTorch's (NaN where it did not run). */
  public record Figure(double ours, double torch) {}

  /** What was measured. */
  public record Result(double catSeconds, double loadSeconds, double bf16LoadSeconds, long loadBytes,
      long parameters, Figure modelLoad, Figure prefill, Figure decode, double maxStateDifference) {}

  private final Path workdir;
  private final Device device;
  private final DataType dtype;
  private final int runs;
  private final Consumer<String> log;

  public RuntimeBenchmark(Path workdir, Device device, DataType dtype, int runs, Consumer<String> log) {
    this.workdir = workdir;
    this.device = device;
    this.dtype = dtype;
    this.runs = runs;
    this.log = log;
  }

  /** Llama-shaped models to measure, written with random weights when no checkpoint is given. */
  public enum Shape {
    /** 106M parameters: vocab 32000, hidden 768, 8 layers, MLP 2048 (float32 on disk). */
    LLAMA_100M("llama-100m", ModelConfig.llama(32000, 768, 2048, 8, 12, 12, 2048, 1, 2), SafetensorsDtype.F32),
    /** 1.1B parameters, TinyLlama's shape: hidden 2048, 22 layers, GQA 32/4, MLP 5632 (bfloat16). */
    LLAMA_1B("llama-1b", ModelConfig.llama(32000, 2048, 5632, 22, 32, 4, 2048, 1, 2), SafetensorsDtype.BF16),
    /** 6.7B parameters, Llama-2-7B's shape: hidden 4096, 32 layers, MLP 11008 (bfloat16, 13.5 GB). */
    LLAMA_7B("llama-7b", ModelConfig.llama(32000, 4096, 11008, 32, 32, 32, 4096, 1, 2), SafetensorsDtype.BF16);

    final String directory;
    final ModelConfig config;
    final SafetensorsDtype storedAs;

    Shape(String directory, ModelConfig config, SafetensorsDtype storedAs) {
      this.directory = directory;
      this.config = config;
      this.storedAs = storedAs;
    }
  }

  /** The checkpoint to measure: {@code given}, or a random model of {@code shape} written once into the workdir. */
  public Path checkpoint(Path given, Shape shape) throws IOException {
    if (given != null) {
      return given;
    }
    Path dir = workdir.resolve(shape.directory);
    if (!Files.exists(dir.resolve(SafetensorsWeights.SINGLE_FILE))) {
      log.accept("writing a random " + shape.directory + " checkpoint to " + dir);
      try (NDManager m = NDManager.newBaseManager(Device.cpu());
          CausalLm model = CausalLm.random(shape.config, 7, m.newSubManager())) {
        CheckpointWriter.write(model, dir, null, shape.storedAs);
      }
    }
    return dir;
  }

  /** Deterministic prompts, also written for the PyTorch script as I64 'ids' [n, length]. */
  public List<PromptTokens> prompts(ModelConfig config, int n, int length, Path file) throws IOException {
    List<PromptTokens> prompts = SyntheticPrompts.of(config, n, length, 99);
    long[] flat = new long[n * length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < length; j++) {
        flat[i * length + j] = prompts.get(i).prompt()[j];
      }
    }
    new SafetensorsWriter().add("ids", flat, new long[] {n, length}).write(file);
    return prompts;
  }

  /**
   * Measures loading, prefill and decode; with a {@code torch} command, runs PyTorch's side in
   * alternation with this one (each figure is the best of {@code runs} rounds on each side).
   */
  public Result run(Path checkpointDir, int batch, int tokens, int decodeTokens, long loadBytes, List<String> torch)
      throws Exception {
    double[] loading = loadBytes > 0 ? loading(loadBytes) : new double[] {Double.NaN, Double.NaN, Double.NaN};
    try (Checkpoint c = Checkpoint.open(checkpointDir)) {
      Path promptFile = workdir.resolve("prompts.safetensors");
      List<PromptTokens> prompts = prompts(c.config(), batch, tokens, promptFile);
      double modelLoad = best(() -> {
        try (CausalLm loaded = c.load(device, dtype)) {
          loaded.parameterCount();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      try (CausalLm model = c.load(device, dtype);
          TorchReference reference = torch == null ? null : TorchReference.start(torch)) {
        Prefill prefill = new Prefill(model);
        int last = c.config().numLayers();
        PrefillOptions options = new PrefillOptions(List.of(last), Pooling.LAST, batch, false);
        List<PromptStates> states = prefill.run(prompts, options, (a, b) -> { }); // warm-up
        Generator generator = new Generator(model, ids -> "", Set.of()); // no EOS: every step runs
        List<int[]> ids = prompts.stream().map(PromptTokens::prompt).toList();
        SamplingOptions greedy = new SamplingOptions(1, 1 + decodeTokens, 0, 1, 0, List.of(), batch);
        generator.generate(ids, greedy, (a, b) -> { }); // warm-up
        double[] best = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.POSITIVE_INFINITY};
        for (int r = 0; r < runs; r++) {
          long start = System.nanoTime();
          prefill.run(prompts, options, (a, b) -> { });
          best[0] = Math.min(best[0], seconds(start));
          GenerationTiming timing = new GenerationTiming();
          generator.generate(ids, greedy, (a, b) -> { }, timing);
          best[1] = Math.min(best[1], timing.decodeSeconds() * decodeTokens / timing.decodeSteps());
          if (reference != null) {
            best[2] = Math.min(best[2], reference.prefillSeconds());
            best[3] = Math.min(best[3], reference.decodeSeconds());
          }
          log.accept(String.format("round %d: prefill %.3f s, decode %.3f s%s", r + 1, best[0], best[1],
              reference == null ? "" : String.format("; PyTorch prefill %.3f s, decode %.3f s", best[2], best[3])));
        }
        double stateDifference = Double.NaN;
        if (reference != null) {
          double[] theirs = reference.lastTokenStates();
          stateDifference = 0;
          int d = c.config().hiddenSize();
          for (int i = 0; i < states.size(); i++) {
            float[] ours = states.get(i).layer(last);
            for (int k = 0; k < d; k++) {
              stateDifference = Math.max(stateDifference, Math.abs(ours[k] - theirs[i * d + k]));
            }
          }
        }
        double tokensIn = batch * (double) tokens;
        double tokensOut = batch * (double) decodeTokens;
        return new Result(loading[0], loading[1], loading[2], loadBytes, model.parameterCount(),
            new Figure(modelLoad, reference == null ? Double.NaN : reference.loadSeconds()),
            new Figure(tokensIn / best[0], reference == null ? Double.NaN : tokensIn / best[2]),
            new Figure(tokensOut / best[1], reference == null ? Double.NaN : tokensOut / best[3]),
            stateDifference);
      }
    }
  }

  /** cat, F32 load and BF16 load of a file of {@code bytes}, all from the page cache, in seconds. */
  private double[] loading(long bytes) throws Exception {
    Path f32 = workdir.resolve("load-f32.safetensors");
    Path bf16 = workdir.resolve("load-bf16.safetensors");
    int tensors = (int) Math.max(1, bytes / (64L << 20));
    if (!Files.exists(f32) || Files.size(f32) < bytes) {
      log.accept("writing " + tensors + " × 64 MiB test files to " + workdir);
      SafetensorsWriter a = new SafetensorsWriter();
      SafetensorsWriter b = new SafetensorsWriter();
      SplittableRandom random = new SplittableRandom(5);
      for (int i = 0; i < tensors; i++) {
        float[] values = new float[4096 * 4096];
        for (int j = 0; j < values.length; j++) {
          values[j] = (float) random.nextDouble(-1, 1);
        }
        a.add("t" + i, values, new long[] {4096, 4096}, SafetensorsDtype.F32);
        b.add("t" + i, values, new long[] {4096, 4096}, SafetensorsDtype.BF16);
      }
      a.write(f32);
      b.write(bf16);
    }
    cat(f32); // into the page cache
    cat(bf16);
    double catSeconds = best(() -> cat(f32));
    double load = best(() -> materialize(f32));
    double bf16Load = best(() -> materialize(bf16));
    log.accept(String.format("cat %.3f s, load %.3f s, bf16 load %.3f s", catSeconds, load, bf16Load));
    return new double[] {catSeconds, load, bf16Load};
  }

  private static void cat(Path file) {
    try {
      Process p = new ProcessBuilder("cat", file.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (p.waitFor() != 0) {
        throw new IOException("cat " + file + " failed");
      }
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens the file and loads every tensor into arrays on the device, then frees them. */
  private void materialize(Path file) {
    try (SafetensorsFile st = SafetensorsFile.open(file); NDManager m = NDManager.newBaseManager(device)) {
      NDList arrays = new NDList();
      for (TensorInfo t : st.tensors()) {
        arrays.add(st.load(t.name(), m));
      }
      if (arrays.size() != st.tensors().size()) {
        throw new IllegalStateException("lost a tensor");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The fastest of {@code runs} runs: on a machine shared with other work, slower runs measure the
   * other work; the fastest is the closest to what the code itself costs.
   */
  private double best(Runnable work) {
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      work.run();
      best = Math.min(best, seconds(start));
    }
    return best;
  }

  private static double seconds(long startNanos) { return (System.nanoTime() - startNanos) / 1e9; }
}
