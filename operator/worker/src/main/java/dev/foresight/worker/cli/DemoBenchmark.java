package dev.foresight.worker.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.demo.Demo;
import dev.foresight.worker.demo.DemoPlan;
import dev.foresight.worker.demo.DemoResult;
import dev.foresight.worker.demo.DemoScores;
import dev.foresight.worker.demo.DemoTable;
import dev.foresight.worker.evaluation.EvaluationResult;
import dev.foresight.worker.evaluation.Evaluator;
import dev.foresight.worker.evaluation.LoadedCheckpoint;
import dev.foresight.worker.features.FeatureSpec;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.Labeller;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.world.WorldModelTrainer;
import dev.foresight.worker.world.WorldRecipe;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code foresight bench demo}: the default demo's verdict (every probe family beside the two
 * baselines, on the later checkpoints), and the probe path against the generative path (the
 * world's sampling, 4 samples) on the same checkpoint and prompts, timed in one run: the last
 * checkpoint, each path several times, medians.
 */
final class DemoBenchmark {
  /** The poolings compared: what the linear and mlp probes read (the others read every position of the span). */
  static final List<Pooling> POOLINGS = List.of(Pooling.LAST, Pooling.MEAN, Pooling.ANSWER);

  private final Path dir;
  private final int runs;
  private final PrintWriter log;

  DemoBenchmark(Path workdir, int runs, PrintWriter log) {
    this.dir = workdir.resolve("demo-world");
    this.runs = runs;
    this.log = log;
  }

  /** Per family: the median time of its probe path; and the generative path's, the load's. */
  private record Timing(Map<ProbeFamily, Double> probe, double generative, double load) {}

  void run(PrintWriter out) throws Exception {
    DemoPlan plan = DemoPlan.DEFAULT;
    // The other readings first, on the same world and labels; the default last, so the directory holds its outputs.
    Map<Pooling, DemoResult> byPooling = new LinkedHashMap<>();
    for (Pooling p : POOLINGS) {
      if (p != plan.pooling()) {
        log.printf(Locale.ROOT, "bench: the probes reading %s, for comparison%n", p.cliName());
        byPooling.put(p, new Demo(plan.withPooling(p), dir, Device.cpu(), log, ProgressBar.Factory.STDERR).run());
      }
    }
    Demo demo = new Demo(plan, dir, Device.cpu(), log, ProgressBar.Factory.STDERR);
    DemoResult result = demo.run();
    byPooling.put(plan.pooling(), result);
    List<Integer> steps = plan.world().checkpointSteps();
    int last = steps.get(steps.size() - 1);
    Timing timing = time(plan, demo.layout().checkpoint(last), plan.families().stream()
        .map(f -> ProbeBundle.read(demo.layout().probe(f, plan.pooling()))).toList());

    WorldRecipe w = plan.world();
    WorldModelTrainer.Options t = w.training();
    LabelSettings s = w.labelling();
    int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    List<Integer> later = plan.laterSteps();
    out.printf(Locale.ROOT, "## Demo world%n%n");
    out.printf(Locale.ROOT, "`foresight bench demo` on %s, %d cores, %d PyTorch thread(s), %s %s, %s. The default demo"
        + " (`DemoPlan.DEFAULT`, what `./foresight demo` runs): a Llama (hidden %d, %d layers, %d heads) trained %d steps"
        + " on %s (operands up to %d digits, words up to %d letters, each size %s times as often as the next smaller in"
        + " training), a checkpoint every %d steps; %d prompts per task; the first %d checkpoints (steps %s) labelled"
        + " with %d samples at temperature %s to train the probes, which read `%s`; scored on the %d later checkpoints"
        + " (steps %d to %d) against generation with the same sampling.%n%n",
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), threads,
        System.getProperty("java.vm.name"), System.getProperty("java.version"), LocalDate.now(), t.hiddenSize(),
        t.layers(), t.heads(), t.steps(), String.join(", ", result.tasks()), w.sizes().digits(), w.sizes().letters(),
        w.sizes().trainingDecay(), t.saveEvery(), w.promptsPerTask(), plan.labelledCheckpoints(), plan.labelledSteps(),
        s.samples(), s.temperature(), plan.pooling().cliName(), later.size(), later.get(0), later.get(later.size() - 1));
    out.println("| signal | AUROC | mean abs Δ pass@1 | Spearman | probe path (s) | generative ÷ probe |");
    out.println("| --- | --- | --- | --- | --- | --- |");
    DemoScores scores = result.scores();
    for (ProbeFamily f : plan.families()) {
      DemoScores.ProbeScore p = scores.probes().get(f.wireName());
      double seconds = timing.probe().get(f);
      out.printf(Locale.ROOT, "| %s probe%s | %s | %.3f | %s | %.3f | %.0f× |%n", f,
          f.wireName().equals(result.family()) ? " (bundle)" : "", DemoTable.number(p.auroc()), p.meanAbsError(),
          DemoTable.number(p.spearman()), seconds, timing.generative() / seconds);
    }
    DemoScores.BaselineScore bits = scores.baselines().get(DemoScores.ANSWER_BITS);
    out.printf(Locale.ROOT, "| gold-answer bits per byte | %s | — | %s | (in the probe path's forward) | |%n",
        DemoTable.number(bits.auroc()), DemoTable.number(bits.spearman()));
    DemoScores.BaselineScore loss = scores.baselines().get(DemoScores.TRAINING_LOSS);
    out.printf(Locale.ROOT, "| training loss | — | — | %s | (free) | |%n%n", DemoTable.number(loss == null ? null : loss.spearman()));
    out.printf(Locale.ROOT, "Time on step %d's %d prompts, median of %d runs, in one process: generative path (%d samples,"
        + " ≤ %d new tokens, checked) %.3f s; probe path (one forward pass over prompts and gold answers, then the"
        + " probe) per family above; loading the checkpoint %.3f s, the same for both and left out.%n",
        last, result.checkpoints().get(0).tasks().size() * w.promptsPerTask(), runs, s.samples(), s.maxNewTokens(),
        timing.generative(), timing.load());
    out.printf(Locale.ROOT, "Held-out AUROC on the labelled checkpoints: %s.%n%n",
        result.heldOutAuroc().entrySet().stream()
            .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.3f", e.getValue())).toList());
    features(out, plan, byPooling);
  }

  /**
   * What each family reads, compared on the same world, labels and later checkpoints: every
   * pooling, each family once per distinct feature spec (attention and submodel read every prompt
   * position under both {@code last} and {@code mean}, so {@code mean} repeats neither).
   */
  private static void features(PrintWriter out, DemoPlan plan, Map<Pooling, DemoResult> byPooling) {
    out.println("| probes read | family | AUROC | mean abs Δ pass@1 | Spearman | held-out AUROC |");
    out.println("| --- | --- | --- | --- | --- | --- |");
    Set<Map.Entry<ProbeFamily, FeatureSpec>> shown = new HashSet<>();
    for (Pooling p : POOLINGS) {
      DemoResult r = byPooling.get(p);
      for (ProbeFamily f : plan.families()) {
        FeatureSpec spec = plan.world().featureSpec(f, p);
        if (!shown.add(Map.entry(f, spec))) {
          continue;
        }
        DemoScores.ProbeScore score = r.scores().probes().get(f.wireName());
        Double heldOut = r.heldOutAuroc().get(f.wireName());
        out.printf(Locale.ROOT, "| %s, layers %s%s | %s | %s | %.3f | %s | %s |%n", spec.pooling().cliName(),
            spec.layers(), p == plan.pooling() ? " (default)" : "", f, DemoTable.number(score.auroc()),
            score.meanAbsError(), DemoTable.number(score.spearman()), DemoTable.number(heldOut));
      }
    }
  }

  private Timing time(DemoPlan plan, Path checkpoint, List<ProbeBundle> bundles) throws Exception {
    Map<ProbeFamily, double[]> probe = new LinkedHashMap<>();
    plan.families().forEach(f -> probe.put(f, new double[runs]));
    double[] generative = new double[runs];
    double[] load = new double[runs];
    log.printf(Locale.ROOT, "bench: timing both paths on %s, %d runs%n", checkpoint, runs);
    log.flush();
    try (Storage storage = Storage.fromEnvironment()) {
      for (int r = 0; r < runs; r++) {
        try (LoadedCheckpoint ckpt = LoadedCheckpoint.load(storage, checkpoint.toString(), Device.cpu(), DataType.FLOAT32)) {
          load[r] = ckpt.loadSeconds();
          TaskCatalog tasks = null;
          for (int i = 0; i < bundles.size(); i++) {
            EvaluationResult e = Evaluator.evaluate(ckpt, ckpt.checkpoint().trainingStep(), bundles.get(i), List.of(),
                plan.batchSize(), null, ProgressBar.Factory.SILENT);
            probe.get(plan.families().get(i))[r] = e.latency().getForwardSeconds() + e.latency().getProbeSeconds();
            tasks = bundles.get(i).tasks();
          }
          long start = System.nanoTime();
          new Labeller(ckpt.model(), ckpt.tokenizer()).label(tasks, plan.world().labelling(), plan.batchSize(),
              (task, id) -> false, label -> { }, Long.MAX_VALUE, ProgressBar.Factory.SILENT.create("generate", "prompts", 1));
          generative[r] = (System.nanoTime() - start) / 1e9;
        }
      }
    }
    Map<ProbeFamily, Double> probeMedians = new LinkedHashMap<>();
    probe.forEach((f, v) -> probeMedians.put(f, ProbesBenchmark.median(v)));
    return new Timing(probeMedians, ProbesBenchmark.median(generative), ProbesBenchmark.median(load));
  }

}
