package dev.foresight.worker.world;

import dev.foresight.worker.features.FeatureSpec;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.storage.AtomicFile;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskSet;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.foresight.worker.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How to make a world: its evaluation prompt sets and the training of its model. The tests and the
 * probes benchmark use {@link #TEST}, so the benchmark's figures are about the tests' checkpoint.
 *
 * @param promptsPerTask evaluation prompts of each family (never shown in training)
 * @param promptSeed the seed the prompt sets are drawn from
 * @param sizes the largest problems of each family
 * @param kind which world: its families and tokenizer; absent from a {@code world.json} written
 *     before there were two, which therefore reads as {@link WorldKind#SINGLE_ANSWER}
 */
public record WorldRecipe(int promptsPerTask, long promptSeed, SyntheticWorld.Sizes sizes,
    WorldModelTrainer.Options training, WorldKind kind) {

  public WorldRecipe {
    kind = kind == null ? WorldKind.SINGLE_ANSWER : kind;
    if (promptsPerTask < 2) {
      throw new IllegalArgumentException("at least 2 prompts per task are needed (some train a probe, some are held out),"
          + " not " + promptsPerTask);
    }
  }

  /** A recipe of the single-answer world. */
  public WorldRecipe(int promptsPerTask, long promptSeed, SyntheticWorld.Sizes sizes, WorldModelTrainer.Options training) {
    this(promptsPerTask, promptSeed, sizes, training, WorldKind.SINGLE_ANSWER);
  }

  /** This recipe in the world of {@code other} kind (the same prompts per task, seed, sizes and training). */
  public WorldRecipe withKind(WorldKind other) {
    return new WorldRecipe(promptsPerTask, promptSeed, sizes, training, other);
  }

  /** The world this recipe draws its prompts and training problems from. */
  public SyntheticWorld world() {
    return new SyntheticWorld(kind, sizes);
  }

  /** 64 prompts per task; 400 steps (tens of seconds on one core), a checkpoint every 100. */
  public static final WorldRecipe TEST = new WorldRecipe(64, 2026, SyntheticWorld.Sizes.SMALL,
      WorldModelTrainer.Options.small(400, 100, 7));

  private static final String RECIPE_FILE = "world.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * How the world's checkpoints are labelled for probes: 4 samples at temperature 0.8, answers of
   * at most 40 tokens, or a few more than the longest gold answer where that is longer (a cap below
   * it would fail right answers).
   */
  public LabelSettings labelling() {
    return new LabelSettings(4, 0.8, 1.0, Math.max(40, world().longestAnswer() + 4), 1);
  }

  /** What each probe family reads of this world's model, prompt states only: {@code featureSpec(family, LAST)}. */
  public FeatureSpec featureSpec(ProbeFamily family) {
    return featureSpec(family, Pooling.LAST);
  }

  /**
   * What each probe family reads of this world's model (L layers): the last two hidden states,
   * pooled by {@code pooling} (linear, mlp); every position of {@code pooling}'s span
   * ({@link Pooling#withEveryPosition()}) of the last (attention), or of layer L−1 for a one-block
   * submodel. The one-vector probes' features also replay the labels' sampler on the gold answers.
   *
   * @param pooling a pooling to one vector per prompt: last, mean or answer
   */
  public FeatureSpec featureSpec(ProbeFamily family, Pooling pooling) {
    int last = training.layers();
    return FeatureSpec.forFamily(family, List.of(last - 1, last), pooling, last, 1)
        .withSamplerTemperature(labelling().temperature());
  }

  public TaskCatalog tasks() {
    return world().promptSets(promptsPerTask, promptSeed);
  }

  public static Path tasksDir(Path dir) { return dir.resolve("tasks"); }

  /** Written once the world is complete: the recipe that made it. */
  public static Path recipeFile(Path dir) { return dir.resolve(RECIPE_FILE); }

  /** The steps at which training saves a checkpoint, in order: every {@code saveEvery}, and the last step. */
  public List<Integer> checkpointSteps() {
    List<Integer> steps = new ArrayList<>();
    for (int s = training.saveEvery(); s < training.steps(); s += training.saveEvery()) {
      steps.add(s);
    }
    steps.add(training.steps());
    return steps;
  }

  /**
   * Writes the prompt sets to {@code <dir>/tasks} and trains the model, checkpoints under
   * {@code <dir>/checkpoints}; then records the recipe in {@code <dir>/world.json}, so that
   * {@link #isMadeIn} knows the world is whole.
   */
  public List<Path> make(Path dir, ProgressBar progress) throws IOException {
    TaskCatalog tasks = writeTasks(dir);
    Files.deleteIfExists(recipeFile(dir));
    List<Path> checkpoints = new WorldModelTrainer(world()).train(dir, SyntheticWorld.promptsOf(tasks),
        training, progress);
    AtomicFile.write(recipeFile(dir), JSON.writeValueAsString(this) + "\n");
    return checkpoints;
  }

  /** The recipe recorded in {@code dir}, if a world was completed there. */
  public static Optional<WorldRecipe> madeIn(Path dir) throws IOException {
    Path file = recipeFile(dir);
    return Files.isRegularFile(file) ? Optional.of(JSON.readValue(file.toFile(), WorldRecipe.class)) : Optional.empty();
  }

  /** Whether {@code dir} holds this recipe's finished world: its record and every checkpoint. */
  public boolean isMadeIn(Path dir) throws IOException {
    return madeIn(dir).filter(this::equals).isPresent() && checkpointSteps().stream()
        .allMatch(s -> Files.isRegularFile(WorldModelTrainer.checkpointDir(dir, s).resolve(Checkpoint.CONFIG)));
  }

  /** Writes the prompt sets alone (the model being there already). */
  public TaskCatalog writeTasks(Path dir) throws IOException {
    TaskCatalog tasks = tasks();
    Files.createDirectories(tasksDir(dir));
    for (TaskSet s : tasks.sets()) {
      s.write(tasksDir(dir));
    }
    return tasks;
  }
}
