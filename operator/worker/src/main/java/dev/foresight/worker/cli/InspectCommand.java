package dev.foresight.worker.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.bench.SyntheticPrompts;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.runtime.Prefill;
import dev.foresight.worker.runtime.PrefillOptions;
import dev.foresight.worker.runtime.PromptTokens;
import dev.foresight.worker.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
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

  @Option(names = "--batch-size", defaultValue = "16", description = "prompts per forward pass (default: ${DEFAULT-VALUE})")
  int batchSize;

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
      try (CausalLm model = c.load(d, type)) {
        double load = seconds(start);
        out.printf(Locale.ROOT, "load         %.2f s on %s in %s%n", load, d, type);
        List<PromptTokens> synthetic = SyntheticPrompts.of(c.config(), prompts, tokens, 1234);
        Prefill prefill = new Prefill(model);
        int last = c.config().numLayers();
        prefill.run(synthetic.subList(0, Math.min(batchSize, synthetic.size())),
            new PrefillOptions(List.of(last), Pooling.LAST, batchSize, false), (a, b) -> { }); // warm-up
        start = System.nanoTime();
        prefill.run(synthetic, new PrefillOptions(List.of(last), Pooling.LAST, batchSize, false),
            (done, total) -> err.printf(Locale.ROOT, "\rprefill %d/%d prompts", done, total));
        double seconds = seconds(start);
        err.println();
        out.printf(Locale.ROOT, "prefill      %d prompts × %d tokens in %.2f s: %.0f tokens/s (batch %d)%n",
            prompts, tokens, seconds, prompts * (double) tokens / seconds, batchSize);
      }
    }
    return 0;
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
