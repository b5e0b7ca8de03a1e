package dev.foresight.worker.cli;

import dev.foresight.api.report.EvaluationReport;
import dev.foresight.api.report.ReportCodec;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.bundle.ProbeManifest;
import dev.foresight.worker.features.FeatureSpec;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.scoring.ProbeMetrics;
import dev.foresight.worker.world.WorldModelTrainer;
import dev.foresight.worker.world.WorldRecipe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * {@code foresight bench probes}: on the tests' world ({@link WorldRecipe#TEST}), each probe
 * family's held-out AUROC, and the probe path ({@code evaluate}) against the generative path
 * ({@code label}, 4 samples) on the same checkpoint and prompts, timed in one run. Every step runs
 * the real CLI command in this JVM.
 */
public final class ProbesBenchmark {
  static final List<String> FAMILIES = List.of("linear", "mlp", "attention", "submodel");
  private static final List<Integer> LABELLED = List.of(300, 400);

  private final Path dir;
  private final int runs;
  private final Consumer<String> log;

  ProbesBenchmark(Path workdir, int runs, Consumer<String> log) {
    this.dir = workdir.resolve("probes-world");
    this.runs = runs;
    this.log = log;
  }

  private String run(String... args) {
    CommandLine cli = ForesightCli.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    int code = cli.execute(args);
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", args) + " exited with " + code + ": " + out);
    }
    return out.toString();
  }

  private Path checkpoint(int step) { return WorldModelTrainer.checkpointDir(dir, step); }

  private String tasks() { return WorldRecipe.tasksDir(dir).toString(); }

  private String[] labelArgs(int step, Path output) {
    return labelArgs(WorldRecipe.TEST, checkpoint(step), tasks(), output);
  }

  /** {@code foresight label} with the recipe's labelling settings. */
  public static String[] labelArgs(WorldRecipe recipe, Path checkpoint, String tasks, Path output) {
    LabelSettings s = recipe.labelling();
    return new String[] {"label", "--checkpoint", checkpoint.toString(), "--task-files", tasks, "--output",
        output.toString(), "--samples", Integer.toString(s.samples()), "--temperature", Double.toString(s.temperature()),
        "--top-p", Double.toString(s.topP()), "--max-new-tokens", Integer.toString(s.maxNewTokens()),
        "--seed", Long.toString(s.seed())};
  }

  /** {@code foresight extract} of what {@code family} reads in the recipe's world (prompt states). */
  public static String[] extractArgs(WorldRecipe recipe, String family, Path checkpoint, String tasks, Path output) {
    return extractArgs(recipe, family, Pooling.LAST, checkpoint, tasks, output);
  }

  /** {@code foresight extract} of what {@code family} reads in the recipe's world, pooled as {@code pooling} says. */
  public static String[] extractArgs(WorldRecipe recipe, String family, Pooling pooling, Path checkpoint, String tasks,
      Path output) {
    FeatureSpec spec = recipe.featureSpec(ProbeFamily.fromWireName(family), pooling);
    return new String[] {"extract", "--checkpoint", checkpoint.toString(), "--task-files", tasks, "--layers",
        spec.layers().stream().map(String::valueOf).collect(Collectors.joining(",")), "--pooling",
        spec.pooling().cliName(), "--temperature", String.valueOf(recipe.labelling().temperature()),
        "--output", output.toString()};
  }

  void run(PrintWriter out) throws Exception {
    WorldRecipe recipe = WorldRecipe.TEST;
    int steps = recipe.training().steps();
    if (Files.isDirectory(checkpoint(steps))) {
      log.accept("reusing the world in " + dir);
      recipe.writeTasks(dir);
    } else {
      log.accept("training the test world's model (" + steps + " steps) in " + dir);
      recipe.make(dir, ProgressBar.onStderr("world", "steps", steps));
    }
    Path work = Files.createDirectories(dir.resolve("bench"));
    for (int step : LABELLED) {
      Path labels = work.resolve("labels-" + step + ".jsonl");
      Files.deleteIfExists(labels);
      run(labelArgs(step, labels));
      for (String family : FAMILIES) {
        run(extractArgs(WorldRecipe.TEST, family, checkpoint(step), tasks(),
            work.resolve("features-" + step + "-" + family + ".safetensors")));
      }
    }
    int last = LABELLED.get(LABELLED.size() - 1);
    List<String[]> aurocRows = new ArrayList<>();
    List<String[]> timingRows = new ArrayList<>();
    double[] labelSeconds = new double[runs];
    for (int r = 0; r < runs; r++) {
      Path labels = work.resolve("timed-labels.jsonl");
      Files.deleteIfExists(labels);
      long start = System.nanoTime();
      run(labelArgs(last, labels));
      labelSeconds[r] = (System.nanoTime() - start) / 1e9;
    }
    double label = median(labelSeconds);
    for (String family : FAMILIES) {
      Path bundle = work.resolve("bundle-" + family);
      List<String> train = new ArrayList<>(List.of("train", "--family", family, "--task-files", tasks(), "--output",
          bundle.toString(), "--seed", "3"));
      for (int step : LABELLED) {
        train.addAll(List.of("--features", work.resolve("features-" + step + "-" + family + ".safetensors").toString(),
            "--labels", work.resolve("labels-" + step + ".jsonl").toString()));
      }
      if (family.equals("submodel")) {
        train.addAll(List.of("--checkpoint", checkpoint(last).toString()));
      }
      run(train.toArray(String[]::new));
      ProbeManifest m = ProbeBundle.read(bundle).manifest();
      List<String> row = new ArrayList<>(List.of(family));
      double sum = 0;
      for (ProbeMetrics metrics : m.heldOut().values()) {
        row.add(metrics.auroc() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", metrics.auroc()));
        sum += metrics.auroc() == null ? 0 : metrics.auroc();
      }
      row.add(String.format(Locale.ROOT, "%.3f", sum / m.heldOut().size()));
      aurocRows.add(row.toArray(String[]::new));

      double[][] seconds = new double[5][runs]; // wall, load, forward, probe, label ÷ evaluate
      for (int r = 0; r < runs; r++) {
        Path reportFile = work.resolve("report-" + family + ".json");
        long start = System.nanoTime();
        run("evaluate", "--checkpoint", checkpoint(last).toString(), "--probe", bundle.toString(), "--report-file",
            reportFile.toString());
        seconds[0][r] = (System.nanoTime() - start) / 1e9;
        EvaluationReport report = ReportCodec.decode(Files.readString(reportFile));
        seconds[1][r] = report.getLatency().getLoadSeconds();
        seconds[2][r] = report.getLatency().getForwardSeconds();
        seconds[3][r] = report.getLatency().getProbeSeconds();
      }
      double evaluate = median(seconds[0]);
      timingRows.add(new String[] {family, fmt(evaluate), fmt(median(seconds[1])), fmt(median(seconds[2])),
          String.format(Locale.ROOT, "%.3f", median(seconds[3])), String.format(Locale.ROOT, "%.1f×", label / evaluate)});
    }

    int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    out.printf(Locale.ROOT, "## Probes%n%n");
    out.printf(Locale.ROOT, "`foresight bench probes` on %s, %d cores, %d PyTorch thread(s), %s %s, %s. The tests' world"
        + " (WorldRecipe.TEST): a %d-step Llama (hidden 64, 2 layers), %d prompts in each of %s; labels of steps %s with"
        + " 4 samples at temperature 0.8; probes trained on both, evaluated on step %d. Median of %d run(s).%n%n",
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), threads,
        System.getProperty("java.vm.name"), System.getProperty("java.version"), LocalDate.now(), steps,
        recipe.promptsPerTask(), recipe.tasks().names(), LABELLED, last, runs);
    out.println("Held-out AUROC (per-sample outcomes; held-out prompts of both labelled checkpoints):");
    out.println();
    List<String> header = new ArrayList<>(List.of("family"));
    header.addAll(recipe.tasks().names());
    header.add("mean");
    table(out, header, aurocRows);
    out.println();
    out.printf(Locale.ROOT, "Time on the same %d prompts of step %d: `label` (generation, 4 samples, ≤ 40 new tokens)"
        + " %s s, wall, checkpoint load included.%n%n", recipe.tasks().promptCount(), last, fmt(label));
    table(out, List.of("probe", "evaluate wall (s)", "load (s)", "forward (s)", "probe (s)", "label ÷ evaluate"), timingRows);
    out.println();
    out.println("Each figure is the median over the runs; the report's load, forward and probe times are the worker's own"
        + " split of one evaluate.");
  }

  private static void table(PrintWriter out, List<String> header, List<String[]> rows) {
    out.println("| " + String.join(" | ", header) + " |");
    out.println("|" + " --- |".repeat(header.size()));
    rows.forEach(r -> out.println("| " + String.join(" | ", r) + " |"));
  }

  private static String fmt(double seconds) { return String.format(Locale.ROOT, "%.2f", seconds); }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

}
