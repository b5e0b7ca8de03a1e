package dev.foresight.worker.world;

import dev.foresight.worker.cli.Cli;
import dev.foresight.worker.cli.ProbesBenchmark;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.storage.LocalTree;
import dev.foresight.worker.tasks.TaskCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tests' model world, made once per test JVM by the project's own code: the synthetic task
 * world's prompt sets, and a small Llama trained on the world for a few hundred steps (tens of
 * seconds on one core), so that its answers are right for some prompts and wrong for others.
 * Labels, features and probe bundles are made on first request through the real CLI and shared
 * by every test class.
 *
 * <p>{@code -Dforesight.test.reuseWorld=true} keeps target/test-world between runs (for working on
 * the tests; CI always trains afresh).
 */
public final class TestWorld {
  public static final WorldRecipe RECIPE = WorldRecipe.TEST;
  public static final int PROMPTS_PER_TASK = RECIPE.promptsPerTask();
  public static final int STEPS = RECIPE.training().steps();
  /** The checkpoints labelled for probe training; the last is also the one evaluated. */
  public static final List<Integer> LABELLED = List.of(300, 400);

  private static TestWorld instance;

  private final Path dir;
  private final TaskCatalog tasks;
  private final Map<String, Path> made = new HashMap<>();

  private TestWorld(Path dir, TaskCatalog tasks) {
    this.dir = dir;
    this.tasks = tasks;
  }

  public static synchronized TestWorld get() {
    if (instance == null) {
      try {
        instance = create(Path.of("target", "test-world").toAbsolutePath());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  private static TestWorld create(Path dir) throws IOException {
    boolean reuse = Boolean.getBoolean("foresight.test.reuseWorld")
        && Files.isDirectory(WorldModelTrainer.checkpointDir(dir, STEPS));
    if (!reuse) {
      deleteRecursively(dir);
      RECIPE.make(dir, new ProgressBar("test world", "steps", STEPS, ProgressBar.Mode.LINES, System.out, System::nanoTime));
    }
    return new TestWorld(dir, RECIPE.writeTasks(dir));
  }

  /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
  public static void deleteRecursively(Path dir) throws IOException {
    LocalTree.delete(dir);
  }

  /** Computed once; unlike HashMap.computeIfAbsent, {@code make} may itself ask for other cached files. */
  private Path cached(String key, java.util.function.Function<String, Path> make) {
    Path p = made.get(key);
    if (p == null) {
      p = make.apply(key);
      made.put(key, p);
    }
    return p;
  }

  public Path dir() { return dir; }

  public TaskCatalog tasks() { return tasks; }

  public Path tasksDir() { return WorldRecipe.tasksDir(dir); }

  public Path checkpoint(int step) { return WorldModelTrainer.checkpointDir(dir, step); }

  /** A fresh directory for one test's files, under the world. */
  public Path scratch(String name) throws IOException {
    Path p = dir.resolve("scratch").resolve(name);
    deleteRecursively(p);
    return Files.createDirectories(p);
  }

  /** The label file of a checkpoint, with the recipe's labelling settings. */
  public synchronized Path labels(int step) {
    return cached("labels-" + step, k -> {
      Path out = dir.resolve("labels").resolve("step-" + step + ".jsonl");
      Cli.run(ProbesBenchmark.labelArgs(RECIPE, checkpoint(step), tasksDir().toString(), out)).expectSuccess();
      return out;
    });
  }

  /** A checkpoint's features as {@code family} reads them (prompt states). */
  public Path features(int step, String family) {
    return features(step, family, Pooling.LAST);
  }

  /** A checkpoint's features as {@code family} reads them, pooled as {@code pooling} says (see WorldRecipe). */
  public synchronized Path features(int step, String family, Pooling pooling) {
    String name = "step-" + step + "-" + family + (pooling == Pooling.LAST ? "" : "-" + pooling.cliName());
    return cached("features-" + name, k -> {
      Path out = dir.resolve("features").resolve(name + ".safetensors");
      Cli.run(ProbesBenchmark.extractArgs(RECIPE, family, pooling, checkpoint(step), tasksDir().toString(), out))
          .expectSuccess();
      return out;
    });
  }

  /** A bundle of {@code family} trained on the labelled checkpoints (prompt states), and the training run's output. */
  public Path bundle(String family) {
    return bundle(family, Pooling.LAST);
  }

  /** A bundle of {@code family} trained on the labelled checkpoints' features pooled as {@code pooling} says. */
  public synchronized Path bundle(String family, Pooling pooling) {
    String name = family + (pooling == Pooling.LAST ? "" : "-" + pooling.cliName());
    return cached("bundle-" + name, k -> {
      Path out = dir.resolve("bundles").resolve(name);
      Cli.Run run = Cli.run(trainArgs(family, pooling, out)).expectSuccess();
      trainingOutput.put(name, run.out());
      return out;
    });
  }

  /** {@code foresight train} of {@code family} on the labelled checkpoints, as {@link #bundle} runs it, into {@code out}. */
  public synchronized String[] trainArgs(String family, Pooling pooling, Path out) {
    List<String> args = new ArrayList<>(List.of("train", "--family", family, "--task-files",
        tasksDir().toString(), "--output", out.toString(), "--seed", "3"));
    for (int step : LABELLED) {
      args.addAll(List.of("--features", features(step, family, pooling).toString(), "--labels",
          labels(step).toString()));
    }
    if (family.equals("submodel")) {
      args.addAll(List.of("--checkpoint", checkpoint(LABELLED.get(LABELLED.size() - 1)).toString()));
    }
    return args.toArray(String[]::new);
  }

  private final Map<String, String> trainingOutput = new HashMap<>();

  /** What {@code foresight train} printed for the family's bundle. */
  public synchronized String trainingOutput(String family) {
    bundle(family);
    return trainingOutput.get(family);
  }
}
