package dev.foresight.worker.demo;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.bundle.BundleTrainer;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.bundle.ProbeManifest;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.evaluation.EvaluationResult;
import dev.foresight.worker.evaluation.Evaluator;
import dev.foresight.worker.evaluation.LoadedCheckpoint;
import dev.foresight.worker.evaluation.PromptPrediction;
import dev.foresight.worker.evaluation.TaskEvaluation;
import dev.foresight.worker.features.FeatureExtractor;
import dev.foresight.worker.features.FeatureFile;
import dev.foresight.worker.features.FeatureSpec;
import dev.foresight.worker.labels.LabelFile;
import dev.foresight.worker.labels.LabelHeader;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.LabelSummary;
import dev.foresight.worker.labels.Labeller;
import dev.foresight.worker.labels.Labels;
import dev.foresight.worker.labels.PromptLabel;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.runtime.Progress;
import dev.foresight.worker.scoring.Auroc;
import dev.foresight.worker.scoring.Outcomes;
import dev.foresight.worker.scoring.ProbeMetrics;
import dev.foresight.worker.storage.LocalTree;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskSet;
import dev.foresight.worker.world.TrainerState;
import dev.foresight.worker.world.WorldRecipe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole paradigm on a world the demo makes itself: train a small Llama on synthetic tasks,
 * saving checkpoints; label the first ones generatively; train every probe family on them; then
 * on every later checkpoint run both paths — the probe (predicted pass@1) and generation (actual
 * pass@1) — and score the probes and two baselines against generation.
 *
 * <p>It runs the same classes as the CLI commands on a real checkpoint: {@link Labeller} (as
 * {@code label}), {@link FeatureExtractor} and {@link BundleTrainer} (as {@code extract} and
 * {@code train}), {@link Evaluator} (as {@code evaluate}). What a run makes is kept in the working
 * directory and reused by the next run with the same plan: the checkpoints, the label files (an
 * interrupted one is continued) and the probe bundles.
 */
public final class Demo {
  private final DemoPlan plan;
  private final DemoLayout layout;
  private final Device device;
  private final PrintWriter out;
  private final ProgressBar.Factory bars;

  /**
   * @param out where the demo tells what it does (progress bars go to {@code bars})
   */
  public Demo(DemoPlan plan, Path dir, Device device, PrintWriter out, ProgressBar.Factory bars) {
    this.plan = plan;
    this.layout = new DemoLayout(dir);
    this.device = device;
    this.out = out;
    this.bars = bars;
  }

  public DemoLayout layout() { return layout; }

  /** One checkpoint's generative labels, and how long generating them took (null if not recorded). */
  private record Labelled(Labels labels, LabelSummary.Timing timing, boolean reused) {}

  /** Runs the demo and writes its table, summary and plot. */
  public DemoResult run() throws IOException {
    TaskCatalog tasks = world();
    try (Storage storage = Storage.fromEnvironment()) {
      Map<Integer, Labelled> labels = new LinkedHashMap<>();
      LabelSettings s = plan.world().labelling();
      say("labels: %d samples per prompt at temperature %s (≤ %d new tokens) on the first %d checkpoints, %d prompts each",
          s.samples(), s.temperature(), s.maxNewTokens(), plan.labelledCheckpoints(), tasks.promptCount());
      labels.putAll(labelAll(storage, plan.labelledSteps(), tasks, "labels"));
      Map<ProbeFamily, ProbeBundle> bundles = probes(storage, tasks, labels);
      ProbeFamily family = choose(bundles);
      copyBundle(layout.probe(family, plan.pooling()), layout.bundle());
      say("bundle: %s (%s probe%s) — a normal probe bundle: foresight evaluate --probe %s", layout.bundle(), family,
          plan.family() == null && bundles.size() > 1
              ? ", the simplest within a standard error of the best mean AUROC on the newest labelled checkpoint, unseen" : "",
          layout.bundle());

      Map<Integer, Map<ProbeFamily, EvaluationResult>> predictions = predict(storage, bundles);

      say("generate: the reference, actual pass@1 of the %d later checkpoints with the same sampling",
          plan.laterSteps().size());
      labels.putAll(labelAll(storage, plan.laterSteps(), tasks, "generate"));
      List<CheckpointPoint> points = new ArrayList<>();
      for (int step : plan.world().checkpointSteps()) {
        points.add(point(step, tasks, labels.get(step), predictions.get(step)));
      }
      List<String> families = bundles.keySet().stream().map(ProbeFamily::wireName).toList();
      DemoScores scores = DemoScores.of(points.subList(plan.labelledCheckpoints(), points.size()), tasks.names(),
          families, family.wireName());
      DemoResult result = new DemoResult(plan, family.wireName(), heldOutAurocs(bundles), scores, points);
      report(result);
      return result;
    }
  }

  /** Prints the table and the summary, and writes them with the JSON summary and the plot. */
  private void report(DemoResult result) throws IOException {
    String table = DemoTable.render(result);
    String summary = DemoTable.summary(result);
    out.println();
    out.print(table);
    out.println();
    out.print(summary);
    Files.writeString(layout.table(), table + "\n" + summary);
    result.writeJson(layout.summary());
    PassAt1Plot.write(result, layout.plot());
    say("%nwritten: %s (table), %s (JSON summary), %s (plot); probe bundle: %s", layout.table(), layout.summary(),
        layout.plot(), layout.bundle());
  }

  private void say(String format, Object... args) {
    out.println(String.format(Locale.ROOT, format, args));
    out.flush();
  }

  /** Trains the world's model, or reuses the checkpoints an earlier run made with the same recipe. */
  private TaskCatalog world() throws IOException {
    WorldRecipe recipe = plan.world();
    Path dir = layout.dir();
    Optional<WorldRecipe> existing = WorldRecipe.madeIn(dir);
    if (existing.isPresent() && !existing.get().equals(recipe)) {
      throw WorkerException.invalidArguments(dir + " holds a demo world made with other settings (" + existing.get()
          + "; this run: " + recipe + "): choose another --workdir, or delete " + dir);
    }
    List<Integer> steps = recipe.checkpointSteps();
    if (recipe.isMadeIn(dir)) {
      say("world: reusing the %d checkpoints in %s (trained by an earlier run)", steps.size(), dir.resolve("checkpoints"));
      return recipe.writeTasks(dir);
    }
    var t = recipe.training();
    TaskCatalog tasks = recipe.tasks();
    say("world: training a Llama (hidden %d, %d layers, %d heads) for %d steps on %s, a checkpoint every %d steps"
        + " into %s", t.hiddenSize(), t.layers(), t.heads(), t.steps(), String.join(", ", tasks.names()), t.saveEvery(),
        dir.resolve("checkpoints"));
    try (ProgressBar bar = bars.create("train", "steps", t.steps())) {
      recipe.make(dir, bar);
    }
    return tasks;
  }

  private LoadedCheckpoint load(Storage storage, int step) throws IOException {
    return LoadedCheckpoint.load(storage, layout.checkpoint(step).toString(), device, DataType.FLOAT32);
  }

  /** Labels of {@code steps}, saying in one line which ones an earlier run had made. */
  private Map<Integer, Labelled> labelAll(Storage storage, List<Integer> steps, TaskCatalog tasks, String phase)
      throws IOException {
    Map<Integer, Labelled> out = new LinkedHashMap<>();
    for (int step : steps) {
      out.put(step, label(storage, step, tasks));
    }
    List<Integer> reused = steps.stream().filter(s -> out.get(s).reused()).toList();
    if (!reused.isEmpty()) {
      say("%s: reusing the labels of step%s %s in %s (made by an earlier run)", phase, reused.size() > 1 ? "s" : "",
          reused.stream().map(String::valueOf).collect(Collectors.joining(", ")), layout.labels(steps.get(0)).getParent());
    }
    return out;
  }

  /** The checkpoint's labels: those an earlier run finished, else generated now (continuing a partial file). */
  private Labelled label(Storage storage, int step, TaskCatalog tasks) throws IOException {
    Path file = layout.labels(step);
    Path summaryFile = LabelSummary.pathFor(file);
    LabelSettings settings = plan.world().labelling();
    LabelHeader header;
    try (Checkpoint checkpoint = Checkpoint.open(layout.checkpoint(step))) {
      header = LabelHeader.of(checkpoint.fingerprint(), layout.checkpoint(step).toString(), settings, tasks);
    }
    if (Files.isRegularFile(file)) {
      Labels existing = LabelFile.read(file);
      if (existing.header().sameRunAs(header) && existing.count() == tasks.promptCount()) {
        LabelSummary.Timing timing = LabelSummary.read(summaryFile).map(LabelSummary::generation).orElse(null);
        return new Labelled(existing, timing, true);
      }
    }
    try (LoadedCheckpoint checkpoint = load(storage, step);
        ProgressBar bar = bars.create("label step-" + step, "prompts", tasks.promptCount())) {
      Labeller.FileRun run = new Labeller(checkpoint.model(), checkpoint.tokenizer()).labelFile(file, header, tasks,
          settings, plan.batchSize(), Long.MAX_VALUE, bar);
      LabelSummary.Timing timing = new LabelSummary.Timing(run.seconds(), run.labelled());
      LabelSummary.of(run.labels(), tasks, timing).write(summaryFile);
      return new Labelled(run.labels(), timing, false);
    }
  }

  /** Every family's bundle: reused when an earlier run trained it on the same labelled checkpoints, else trained now. */
  private Map<ProbeFamily, ProbeBundle> probes(Storage storage, TaskCatalog tasks, Map<Integer, Labelled> labels)
      throws IOException {
    List<String> fingerprints = plan.labelledSteps().stream().map(s -> labels.get(s).labels().header().checkpoint())
        .toList();
    Map<ProbeFamily, ProbeBundle> bundles = new LinkedHashMap<>();
    List<ProbeFamily> toTrain = new ArrayList<>();
    for (ProbeFamily f : plan.families()) {
      Optional<ProbeBundle> reusable = reusable(f, fingerprints, tasks);
      reusable.ifPresent(b -> bundles.put(f, b));
      if (reusable.isEmpty()) {
        toTrain.add(f);
      }
    }
    if (!bundles.isEmpty()) {
      say("probes: reusing %s from %s (trained by an earlier run on the same labels)",
          bundles.keySet().stream().map(ProbeFamily::wireName).collect(Collectors.joining(", ")),
          layout.probe(plan.families().get(0), plan.pooling()).getParent());
    }
    if (!toTrain.isEmpty()) {
      say("probes: training %s on the labelled checkpoints' hidden states and labels",
          toTrain.stream().map(ProbeFamily::wireName).collect(Collectors.joining(", ")));
      Map<ProbeFamily, List<BundleTrainer.LabelledCheckpoint>> data = features(storage, tasks, labels, toTrain);
      for (ProbeFamily f : toTrain) {
        train(storage, f, data.get(f), tasks);
        bundles.put(f, ProbeBundle.read(layout.probe(f, plan.pooling())));
      }
    }
    Map<ProbeFamily, ProbeBundle> ordered = new LinkedHashMap<>();
    plan.families().forEach(f -> ordered.put(f, bundles.get(f)));
    ordered.forEach((f, b) -> say("probes: %-9s held-out AUROC %s, on the newest labelled checkpoint unseen %s", f,
        format(b.manifest().meanHeldOutAuroc()), format(b.manifest().meanNewestCheckpointAuroc())));
    return ordered;
  }

  /** The family's bundle from an earlier run, if it was trained with this plan on these very checkpoints. */
  private Optional<ProbeBundle> reusable(ProbeFamily family, List<String> fingerprints, TaskCatalog tasks) {
    Path dir = layout.probe(family, plan.pooling());
    if (!Files.isRegularFile(dir.resolve(ProbeBundle.MANIFEST))) {
      return Optional.empty();
    }
    ProbeBundle bundle;
    try {
      bundle = ProbeBundle.read(dir);
    } catch (RuntimeException e) {
      return Optional.empty(); // damaged or foreign: train it again
    }
    ProbeManifest m = bundle.manifest();
    FeatureSpec spec = plan.world().featureSpec(family, plan.pooling());
    Map<String, ProbeManifest.TaskEntry> expected = new LinkedHashMap<>();
    tasks.sets().forEach(s -> expected.put(s.name(), new ProbeManifest.TaskEntry(s.promptSetHash(), s.size())));
    boolean sideInputs = BundleTrainer.Settings.defaults(family, plan.probeSeed()).sideInputs();
    // A bundle from before the sampler's and the step's inputs is trained again with them.
    boolean same = m.family() == family && m.featureSpec().equals(spec)
        && m.head().sideInputs().any() == sideInputs
        && (!sideInputs || m.head().sideInputs().step() == fingerprints.size() > 1)
        && m.tasks().equals(expected) && m.training() != null && m.training().seed() == plan.probeSeed()
        && m.trainedOn(fingerprints) && m.checkpointError() != null // an older bundle lacks the interval's error
        && (fingerprints.size() < 2 || m.newestCheckpoint() != null // or what picks the family
            && m.checkpointError().newestCheckpointMiss() != null); // or the rehearsal's raw miss
    return same ? Optional.of(bundle) : Optional.empty();
  }

  /** Each labelled checkpoint's features as each family reads them, paired with its labels. */
  private Map<ProbeFamily, List<BundleTrainer.LabelledCheckpoint>> features(Storage storage, TaskCatalog tasks,
      Map<Integer, Labelled> labels, List<ProbeFamily> families) throws IOException {
    Map<ProbeFamily, List<BundleTrainer.LabelledCheckpoint>> data = new LinkedHashMap<>();
    families.forEach(f -> data.put(f, new ArrayList<>()));
    try (ProgressBar bar = bars.create("features", "checkpoints", plan.labelledCheckpoints())) {
      for (int step : plan.labelledSteps()) {
        try (LoadedCheckpoint ckpt = load(storage, step)) {
          FeatureExtractor extractor = new FeatureExtractor(ckpt.model(), ckpt.tokenizer());
          for (ProbeFamily f : families) {
            FeatureSpec spec = plan.world().featureSpec(f, plan.pooling());
            FeatureFile features = FeatureFile.of(ckpt.fingerprint(), ckpt.location(), (long) step, ckpt.signature(), spec, tasks,
                extractor.extract(tasks, spec, plan.batchSize(), Progress.NONE));
            String name = "step-" + step;
            data.get(f).add(new BundleTrainer.LabelledCheckpoint(features, labels.get(step).labels(), name, name));
          }
        }
        bar.advance(1);
      }
    }
    return data;
  }

  /** Trains one family; a submodel starts from the last labelled checkpoint's final blocks. */
  private void train(Storage storage, ProbeFamily family, List<BundleTrainer.LabelledCheckpoint> data, TaskCatalog tasks)
      throws IOException {
    BundleTrainer.Settings settings = BundleTrainer.Settings.defaults(family, plan.probeSeed());
    List<Integer> labelled = plan.labelledSteps();
    LoadedCheckpoint source = family == ProbeFamily.SUBMODEL ? load(storage, labelled.get(labelled.size() - 1)) : null;
    try (NDManager manager = NDManager.newBaseManager(device);
        ProgressBar bar = bars.create("probe " + family, "epochs", settings.options().maxEpochs())) {
      BundleTrainer.train(data, tasks, settings, source == null ? null : source.model(), layout.probe(family, plan.pooling()), manager, bar);
    } finally {
      if (source != null) {
        source.close();
      }
    }
  }

  private ProbeFamily choose(Map<ProbeFamily, ProbeBundle> bundles) {
    if (plan.family() != null) {
      return plan.family();
    }
    // Chosen on the labelled checkpoints only (the newest, unseen by a head trained without it): the
    // later checkpoints are the test.
    return ProbeManifest.best(bundles.values().stream().map(ProbeBundle::manifest).toList()).family();
  }

  private static Map<String, Double> heldOutAurocs(Map<ProbeFamily, ProbeBundle> bundles) {
    Map<String, Double> out = new LinkedHashMap<>();
    bundles.forEach((f, b) -> b.manifest().meanHeldOutAuroc().ifPresent(a -> out.put(f.wireName(), a)));
    return out;
  }

  private static String format(OptionalDouble value) {
    return value.isPresent() ? String.format(Locale.ROOT, "%.3f", value.getAsDouble()) : "n/a";
  }

  /** The probe path of every family on every checkpoint (on the labelled ones for the plot only). */
  private Map<Integer, Map<ProbeFamily, EvaluationResult>> predict(Storage storage, Map<ProbeFamily, ProbeBundle> bundles)
      throws IOException {
    List<Integer> steps = plan.world().checkpointSteps();
    say("predict: the probe path (one forward pass, then the probe) on all %d checkpoints, every family", steps.size());
    Map<Integer, Map<ProbeFamily, EvaluationResult>> out = new LinkedHashMap<>();
    try (ProgressBar bar = bars.create("predict", "checkpoints", steps.size())) {
      for (int step : steps) {
        Map<ProbeFamily, EvaluationResult> byFamily = new LinkedHashMap<>();
        try (LoadedCheckpoint ckpt = load(storage, step)) {
          for (Map.Entry<ProbeFamily, ProbeBundle> e : bundles.entrySet()) {
            byFamily.put(e.getKey(), Evaluator.evaluate(ckpt, (long) step, e.getValue(), List.of(), plan.batchSize(), null,
                ProgressBar.Factory.SILENT));
          }
        }
        out.put(step, byFamily);
        bar.advance(1);
      }
    }
    return out;
  }

  /** One checkpoint's numbers: generation's outcomes against every family's predictions and the baselines. */
  private CheckpointPoint point(int step, TaskCatalog tasks, Labelled labelled,
      Map<ProbeFamily, EvaluationResult> results) throws IOException {
    Map<String, CheckpointPoint.TaskPoint> byTask = new LinkedHashMap<>();
    EvaluationResult any = results.values().iterator().next();
    for (TaskSet set : tasks.sets()) {
      TaskEvaluation reference = task(any, set.name());
      Outcomes outcomes = outcomes(labelled.labels(), set.name(), reference.prompts());
      double[] negatedBits = reference.prompts().stream()
          .mapToDouble(p -> -p.answerBits() / Math.max(1, p.answerBytes())).toArray();
      OptionalDouble bitsAuroc = Auroc.of(negatedBits, outcomes);
      Map<String, CheckpointPoint.Prediction> predicted = new LinkedHashMap<>();
      results.forEach((f, r) -> {
        TaskEvaluation t = task(r, set.name());
        double[] p = t.prompts().stream().mapToDouble(PromptPrediction::predicted).toArray();
        ProbeMetrics m = ProbeMetrics.of(p, outcomes);
        predicted.put(f.wireName(), new CheckpointPoint.Prediction(t.predicted().passAt1(), t.predicted().low(),
            t.predicted().high(), m.auroc(), m.passAt1Error()));
      });
      byTask.put(set.name(), new CheckpointPoint.TaskPoint(outcomes.passAt1(), reference.answerBitsPerByte(),
          bitsAuroc.isPresent() ? bitsAuroc.getAsDouble() : null, predicted));
    }
    OptionalDouble loss = TrainerState.trainingLoss(layout.checkpoint(step));
    Map<String, Double> probeSeconds = new LinkedHashMap<>();
    results.forEach((f, r) -> probeSeconds.put(f.wireName(), r.latency().getForwardSeconds() + r.latency().getProbeSeconds()));
    LabelSummary.Timing timing = labelled.timing();
    return new CheckpointPoint(step, plan.labelledSteps().contains(step), loss.isPresent() ? loss.getAsDouble() : null,
        any.latency().getLoadSeconds(), timing == null ? null : timing.secondsFor(tasks.promptCount()), probeSeconds,
        byTask);
  }

  private static TaskEvaluation task(EvaluationResult result, String task) {
    return result.tasks().stream().filter(t -> t.task().equals(task)).findFirst().orElseThrow();
  }

  /** The labelled outcomes of {@code prompts}, in their order. */
  private static Outcomes outcomes(Labels labels, String task, List<PromptPrediction> prompts) {
    int[] passed = new int[prompts.size()];
    int[] samples = new int[prompts.size()];
    for (int i = 0; i < prompts.size(); i++) {
      PromptLabel l = labels.find(task, prompts.get(i).id()).orElseThrow();
      passed[i] = l.passed();
      samples[i] = l.samples();
    }
    return new Outcomes(passed, samples);
  }

  /** Replaces {@code target} with a copy of the bundle in {@code source}. */
  private static void copyBundle(Path source, Path target) throws IOException {
    LocalTree.delete(target);
    try (Stream<Path> s = Files.walk(source)) {
      for (Path p : s.toList()) {
        Path to = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
