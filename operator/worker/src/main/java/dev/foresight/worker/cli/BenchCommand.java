package dev.foresight.worker.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.bench.ParityCheck;
import dev.foresight.worker.bench.RuntimeBenchmark;
import dev.foresight.worker.bench.TorchReference;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import dev.foresight.worker.demo.DemoPlan;
import dev.foresight.worker.world.WorldKind;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code foresight bench runtime}: the runtime's benchmark, side by side with PyTorch eager on the
 * same checkpoint and prompts when a Python with torch is available.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks: 'runtime' (loading, prefill, decode), 'parity' (the transformers fixtures on --device in --dtype), 'probes' (held-out AUROC per probe family;"
        + " evaluate against label on the same prompts), 'demo' (the default demo: every probe family and the baselines"
        + " on the later checkpoints; probe path against generative path; with --seeds, over the worlds of several seeds).")
final class BenchCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "WHAT", description = "runtime, parity, probes or demo")
  String what;

  @Option(names = "--checkpoint", description = "checkpoint to measure (default: a random 106M Llama written to the workdir)")
  Path checkpoint;

  @Option(names = "--shape", defaultValue = "LLAMA_100M",
      description = "random model to write when no --checkpoint: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  RuntimeBenchmark.Shape shape;

  @Option(names = "--workdir", defaultValue = "foresight-bench", description = "scratch directory (default: ${DEFAULT-VALUE})")
  Path workdir;

  @Mixin DeviceOptions devices;

  @Option(names = "--batch-size", defaultValue = "16", description = "prompts per batch (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--tokens", defaultValue = "256", description = "tokens per prompt (default: ${DEFAULT-VALUE})")
  int tokens;

  @Option(names = "--decode-tokens", defaultValue = "32", description = "tokens generated per prompt (default: ${DEFAULT-VALUE})")
  int decodeTokens;

  @Option(names = "--load-bytes", defaultValue = "1073741824",
      description = "size of the loading test file; 0 skips the loading test (default: 1 GiB)")
  long loadBytes;

  @Option(names = "--runs", defaultValue = "3", description = "timed runs per figure; the median is reported (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--seeds", split = ",", description = "demo only: run the default demo on the world of each of these"
      + " seeds (each in <workdir>/demo-seed-<N>, reused by a later run) and report each score's mean and spread across"
      + " them; without it, the default demo's world alone, with timings and poolings")
  List<Long> seeds = List.of();

  @Option(names = "--world", defaultValue = "single-answer", description = "demo --seeds only: the task world,"
      + " single-answer or many-answers (default: ${DEFAULT-VALUE})")
  String world;

  @Option(names = "--python", defaultValue = "/usr/bin/python3",
      description = "Python with torch for the side-by-side run, or 'none' (default: ${DEFAULT-VALUE})")
  String python;

  @Option(names = "--fixtures", defaultValue = "operator/worker/src/test/resources/parity",
      description = "parity: the fixture folders (default: ${DEFAULT-VALUE})")
  Path parityFixtures;

  @Option(names = "--torch-attention", defaultValue = "eager",
      description = "the PyTorch side's attention: eager (transformers' eager path) or sdpa (scaled_dot_product_attention) (default: ${DEFAULT-VALUE})")
  String torchAttention;

  @Option(names = "--torch-script", defaultValue = "operator/worker/bench/torch_reference.py",
      description = "the PyTorch reference script (default: ${DEFAULT-VALUE})")
  Path torchScript;

  @Override
  public Integer call() throws Exception {
    WorldKind kind = WorldKind.fromWireName(world);
    if (kind != WorldKind.SINGLE_ANSWER && !(what.equals("demo") && !seeds.isEmpty())) {
      throw new IllegalArgumentException("--world " + world + ": only 'bench demo --seeds' runs in another world");
    }
    if (what.equals("probes")) {
      new ProbesBenchmark(workdir, runs, line -> spec.commandLine().getErr().println("bench: " + line))
          .run(spec.commandLine().getOut());
      return 0;
    }
    if (what.equals("demo") && !seeds.isEmpty()) {
      new DemoSeedsBenchmark(workdir, DemoPlan.defaultFor(kind), seeds, spec.commandLine().getErr())
          .run(spec.commandLine().getOut());
      return 0;
    }
    if (!seeds.isEmpty()) {
      throw new IllegalArgumentException("--seeds: only 'bench demo' runs over seeds, not '" + what + "'");
    }
    if (what.equals("demo")) {
      new DemoBenchmark(workdir, runs, spec.commandLine().getErr()).run(spec.commandLine().getOut());
      return 0;
    }
    if (what.equals("parity")) {
      return parity(spec.commandLine().getOut());
    }
    if (!what.equals("runtime")) {
      throw new IllegalArgumentException("unknown benchmark '" + what + "' (known: runtime, parity, probes, demo)");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Device d = devices.device();
    DataType type = devices.dtype(d);
    Files.createDirectories(workdir);
    RuntimeBenchmark bench = new RuntimeBenchmark(workdir, d, type, runs, line -> err.println("bench: " + line));
    Path dir = bench.checkpoint(checkpoint, shape);
    int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    List<String> torch = null;
    if (!python.equals("none")) {
      if (Files.isRegularFile(torchScript)) {
        torch = TorchReference.command(python, torchScript, dir, workdir.resolve("prompts.safetensors"), batch,
            decodeTokens, threads, runs, d.isGpu() ? "cuda:" + d.getDeviceId() : "cpu", devices.dtype, torchAttention);
        err.println("bench: PyTorch side: " + String.join(" ", torch));
      } else {
        err.println("bench: " + torchScript + " not found (run from the repository root): PyTorch side skipped");
      }
    }
    RuntimeBenchmark.Result r = bench.run(dir, batch, tokens, decodeTokens, loadBytes, torch);

    out.printf(Locale.ROOT, "## Runtime benchmark, %s, %s, %d threads, %s, %d cores, %s%n%n", d, type, threads,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(), LocalDate.now());
    if (r.loadBytes() > 0) {
      out.printf(Locale.ROOT, "Loading %.2f GiB from the page cache: cat %.3f s; open + materialize F32 %.3f s (%.2f× cat); "
          + "BF16 widened to F32 %.3f s (%.2f× cat of the F32 file)%n%n", r.loadBytes() / (double) (1L << 30),
          r.catSeconds(), r.loadSeconds(), r.loadSeconds() / r.catSeconds(), r.bf16LoadSeconds(),
          r.bf16LoadSeconds() / r.catSeconds());
    }
    out.printf(Locale.ROOT, "Model: %s, %,d parameters; batch %d × %d prompt tokens, %d decoded tokens; best of %d%n%n",
        dir, r.parameters(), batch, tokens, decodeTokens, runs);
    out.printf(Locale.ROOT, "| figure | Foresight (DJL) | PyTorch %s | Foresight / PyTorch |%n", torchAttention);
    out.println("|---|---|---|---|");
    row(out, "model load (s)", r.modelLoad(), false);
    row(out, "prefill tokens/s", r.prefill(), true);
    row(out, "decode tokens/s", r.decode(), true);
    if (torch != null) {
      out.printf(Locale.ROOT, "%nPyTorch eager side: %s. Final hidden states at the last prompt token agree to %.2e "
          + "(max abs difference).%n", String.join(" ", torch.subList(1, torch.size())), r.maxStateDifference());
    }
    out.printf(Locale.ROOT, "JVM: %s%n", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    return 0;
  }

  /**
   * Every parity fixture on --device in --dtype, one line each: the largest error over the hidden
   * states and over the logits, against the dtype's tolerance. Exit 1 when one fails.
   */
  private int parity(PrintWriter out) throws Exception {
    List<Device> on = devices.devices();
    DataType type = devices.dtype(on.get(0));
    List<Path> fixtures = ParityCheck.fixtures(parityFixtures);
    if (fixtures.isEmpty()) {
      throw new IllegalArgumentException("--fixtures " + parityFixtures + " holds no parity fixture (run from the repository root)");
    }
    int failed = 0;
    double worstHidden = 0;
    double worstLogits = 0;
    for (Path dir : fixtures) {
      Map<String, ParityCheck.Difference> d = ParityCheck.compare(dir, on, type);
      ParityCheck.Difference hidden = d.entrySet().stream().filter(e -> e.getKey().startsWith("hidden_states."))
          .map(Map.Entry::getValue).max(Comparator.comparingDouble(ParityCheck.Difference::relative)).orElseThrow();
      ParityCheck.Difference logits = d.get("logits");
      boolean ok = d.values().stream().allMatch(x -> ParityCheck.passes(x, type));
      failed += ok ? 0 : 1;
      worstHidden = Math.max(worstHidden, hidden.maxAbs());
      worstLogits = Math.max(worstLogits, logits.maxAbs());
      out.printf(Locale.ROOT, "parity %-16s %s %s: hidden max|Δ| %.2e (%.2e relative), logits max|Δ| %.2e (%.2e relative): %s%n",
          dir.getFileName(), on.size() == 1 ? on.get(0) : on, type, hidden.maxAbs(), hidden.relative(), logits.maxAbs(),
          logits.relative(), ok ? "ok" : "FAILED");
    }
    out.printf(Locale.ROOT, "parity %d of %d fixtures within %s on %s in %s; worst max|Δ| hidden %.2e, logits %.2e%n",
        fixtures.size() - failed, fixtures.size(), ParityCheck.tolerance(type), on.size() == 1 ? on.get(0) : on, type,
        worstHidden, worstLogits);
    return failed == 0 ? 0 : WorkerExitCode.FAILED.code();
  }

  /** A table row; the ratio reads "how many times PyTorch's throughput" (or its speed, for times). */
  private static void row(PrintWriter out, String name, RuntimeBenchmark.Figure f, boolean higherIsBetter) {
    boolean ran = !Double.isNaN(f.torch());
    String ratio = ran ? String.format(Locale.ROOT, "%.2f×", higherIsBetter ? f.ours() / f.torch() : f.torch() / f.ours()) : "";
    out.printf(Locale.ROOT, "| %s | %.2f | %s | %s |%n", name, f.ours(),
        ran ? String.format(Locale.ROOT, "%.2f", f.torch()) : "not run", ratio);
  }
}
