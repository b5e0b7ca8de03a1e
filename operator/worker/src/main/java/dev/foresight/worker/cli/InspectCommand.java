package dev.foresight.worker.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.bench.SyntheticPrompts;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.features.FeatureSpec;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.runtime.BatchPlan;
import dev.foresight.worker.runtime.Completion;
import dev.foresight.worker.runtime.GenerationTiming;
import dev.foresight.worker.runtime.Generator;
import dev.foresight.worker.runtime.Prefill;
import dev.foresight.worker.runtime.PrefillOptions;
import dev.foresight.worker.runtime.PromptTokens;
import dev.foresight.worker.runtime.SamplingOptions;
import dev.foresight.worker.runtime.TorchEngine;
import dev.foresight.worker.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code foresight inspect CHECKPOINT}: what a checkpoint is, from its headers alone; with
 * {@code --forward}, also loads it on a device and times a prefill (the smoke test for a GPU).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show a checkpoint's architecture, size, dtypes, layers and fingerprint; --forward also loads and runs it.")
final class InspectCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "CHECKPOINT", description = "checkpoint directory, file:///path, pvc://claim/path or s3://bucket/prefix")
  String checkpoint;

  @Option(names = "--forward", description = "load the model and time a prefill of synthetic prompts")
  boolean forward;

  @Mixin DeviceOptions devices;

  @Option(names = "--prompts", defaultValue = "16", description = "prompts to prefill with --forward (default: ${DEFAULT-VALUE})")
  int prompts;

  @Option(names = "--tokens", defaultValue = "256", description = "tokens per prompt (default: ${DEFAULT-VALUE})")
  int tokens;

  @Option(names = "--batch-size", defaultValue = "16",
      description = "prompts per forward pass; 0 plans it from free GPU memory (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--pooling", defaultValue = "last",
      description = "what --forward keeps, as a probe reads it: last, mean, all, answer, all-with-answer (default: ${DEFAULT-VALUE})")
  String pooling;

  @Option(names = "--layers", split = ",", description = "hidden states --forward keeps (default: the last; negative counts from the end)")
  List<Integer> layers;

  @Option(names = "--answer-tokens", defaultValue = "0",
      description = "the last N of each prompt's tokens are its gold answer, scored as the probe path does (default: ${DEFAULT-VALUE})")
  int answerTokens;

  @Option(names = "--generate-tokens", defaultValue = "0",
      description = "also time the generative path on the same prompts: up to N new tokens (default: ${DEFAULT-VALUE}, none)")
  int generateTokens;

  @Option(names = "--samples", defaultValue = "4", description = "samples per prompt with --generate-tokens (default: ${DEFAULT-VALUE})")
  int samples;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (Storage storage = Storage.fromEnvironment();
        Checkpoint c = Checkpoint.open(storage.fetch(checkpoint, Purpose.CHECKPOINT))) {
      List<String> problems = describe(c, out);
      if (!problems.isEmpty()) {
        return WorkerExitCode.CHECKPOINT_NOT_FOUND.code(); // described above; unusable as it is
      }
      if (!forward) {
        return 0;
      }
      Device d = devices.device();
      DataType type = devices.dtype(d);
      long start = System.nanoTime();
      try (CausalLm model = c.load(devices.devices(), type)) {
        double load = seconds(start);
        out.printf(Locale.ROOT, "load         %.2f s on %s in %s%n", load, model.plan().split() ? model.plan() : d, type);
        List<PromptTokens> synthetic = withAnswers(SyntheticPrompts.of(c.config(), prompts, tokens, 1234), answerTokens);
        Prefill prefill = new Prefill(model);
        List<Integer> kept = FeatureSpec.resolveLayers("--layers", layers == null ? List.of(-1) : layers, c.config().numLayers());
        PrefillOptions options = new PrefillOptions(kept, ExtractCommand.parsePooling(pooling), batchSize, answerTokens > 0);
        int batch = prefill.batchSizeFor(synthetic, options);
        PrefillOptions fixed = new PrefillOptions(kept, options.pooling(), batch, options.continuationLogProbs());
        prefill.run(synthetic.subList(0, Math.min(batch, synthetic.size())), fixed, (a, b) -> { }); // warm-up
        start = System.nanoTime();
        prefill.run(synthetic, fixed, (done, total) -> err.printf(Locale.ROOT, "\rprefill %d/%d prompts", done, total));
        double seconds = seconds(start);
        err.println();
        out.printf(Locale.ROOT, "prefill      %d prompts × %d tokens in %.2f s: %.0f tokens/s (batch %d%s; %s of layers %s%s)%n",
            prompts, tokens, seconds, prompts * (double) tokens / seconds, batch,
            batchSize != BatchPlan.FROM_FREE_MEMORY ? "" : d.isGpu() ? ", planned from free memory" : ", the CPU default", options.pooling().cliName(), kept,
            answerTokens > 0 ? ", answers scored" : "");
        if (d.isGpu()) {
          out.printf(Locale.ROOT, "gpu memory   %.2f GiB used on %s after prefill (PyTorch's cache keeps its peak)%n",
              model.plan().devices().stream().distinct().mapToLong(TorchEngine::usedBytes).sum() / (double) (1L << 30), d);
        }
        if (generateTokens > 0) {
          List<int[]> promptOnly = synthetic.stream().map(PromptTokens::prompt).toList();
          int rows = d.isGpu() && batchSize == BatchPlan.FROM_FREE_MEMORY
              ? new BatchPlan(c.config(), type.getNumOfBytes(), tokens - answerTokens, 0, false).generationRows(
                  model.plan().devices().stream().distinct().mapToLong(TorchEngine::freeBytes).min().orElseThrow(),
                  tokens - answerTokens + generateTokens, prompts * samples)
              : Math.max(1, batch) * samples;
          SamplingOptions sampling = new SamplingOptions(samples, generateTokens, 0.8, 0.95, 1234, List.of(), rows);
          GenerationTiming timing = new GenerationTiming();
          start = System.nanoTime();
          List<List<Completion>> done = new Generator(model, ids -> "", Set.of()).generate(promptOnly, new long[promptOnly.size()],
              sampling, (a, b) -> err.printf(Locale.ROOT, "\rgenerate %d/%d sequences", a, b), timing);
          double generation = seconds(start);
          err.println();
          long generated = done.stream().flatMap(List::stream).mapToLong(x -> x.tokens().length).sum();
          out.printf(Locale.ROOT, "generate     %d prompts × %d samples, %,d new tokens in %.2f s: %.0f tokens/s"
              + " (%d sequences a batch); generative ÷ probe path %.1f×%n", prompts, samples, generated, generation,
              generated / generation, rows, generation / seconds);
        }
      }
    }
    return 0;
  }

  /** The same prompts with their last {@code answer} tokens as the gold answer. */
  private static List<PromptTokens> withAnswers(List<PromptTokens> prompts, int answer) {
    if (answer == 0) {
      return prompts;
    }
    return prompts.stream().map(p -> {
      if (answer >= p.prompt().length) {
        throw new IllegalArgumentException("--answer-tokens " + answer + " leaves no prompt of " + p.prompt().length + " tokens");
      }
      int cut = p.prompt().length - answer;
      return new PromptTokens(java.util.Arrays.copyOf(p.prompt(), cut),
          java.util.Arrays.copyOfRange(p.prompt(), cut, p.prompt().length));
    }).toList();
  }

  private static double seconds(long startNanos) { return (System.nanoTime() - startNanos) / 1e9; }

  /** Prints what the checkpoint is; returns its weight problems (empty when it is complete). */
  private static List<String> describe(Checkpoint c, PrintWriter out) throws Exception {
    ModelConfig m = c.config();
    out.printf(Locale.ROOT, "checkpoint   %s%n", c.directory());
    out.printf(Locale.ROOT, "architecture %s (%s)%n", m.family().architecture(),
        m.family().postNorm() ? "norm after each branch, QK-norm" : "pre-norm");
    out.printf(Locale.ROOT, "parameters   %,d  %s%n", c.parameterCount(), c.parametersByDtype());
    out.printf(Locale.ROOT, "layers       %d × hidden %d, %d heads (%d KV, head_dim %d), MLP %d, vocab %d%s%n",
        m.numLayers(), m.hiddenSize(), m.numHeads(), m.numKvHeads(), m.headDim(), m.intermediateSize(), m.vocabSize(),
        m.tieWordEmbeddings() ? ", tied embeddings" : "");
    long sliding = m.slidingLayers().stream().filter(s -> s).count();
    out.printf(Locale.ROOT, "attention    %s%n", sliding == 0 ? "full on every layer"
        : sliding + " of " + m.numLayers() + " layers with a sliding window of " + m.slidingWindow());
    out.printf(Locale.ROOT, "rope         %s θ=%s%s%n", m.fullRope().type(), m.fullRope().theta(),
        m.fullRope().type().equals("default") ? "" : " factor " + m.fullRope().factor());
    out.printf(Locale.ROOT, "files        %d safetensors file(s), %,d bytes of weights%n",
        c.weights().files().size(), c.weights().dataBytes());
    if (Files.isRegularFile(c.directory().resolve(Checkpoint.TOKENIZER))) {
      try (Tokenizer t = Tokenizer.open(c.directory())) {
        out.printf(Locale.ROOT, "tokenizer    %s, bos %s, eos %s%n", t.hash(),
            t.bos().isPresent() ? t.bos().getAsInt() : "none", t.eos());
      }
    } else {
      out.println("tokenizer    none (no tokenizer.json)");
    }
    List<String> problems = c.weightProblems();
    out.printf(Locale.ROOT, "weights      %s%n", problems.isEmpty() ? "complete" : String.join("; ", problems));
    out.printf(Locale.ROOT, "fingerprint  %s%n", c.fingerprint());
    return problems;
  }
}
