package dev.foresight.worker.world;

import dev.foresight.worker.features.FeatureSpec;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How to make a world: its evaluation prompt sets and the training of its model. The tests and the
 * probes benchmark use {@link #TEST}, so the benchmark's figures are about the tests' checkpoint.
 *
 * @param promptsPerTask evaluation prompts of each family (never shown in training)
 * @param promptSeed the seed the prompt sets are drawn from
 */
public record WorldRecipe(int promptsPerTask, long promptSeed, WorldModelTrainer.Options training) {

  /** 64 prompts per task; 400 steps (tens of seconds on one core), a checkpoint every 100. */
  public static final WorldRecipe TEST = new WorldRecipe(64, 2026, WorldModelTrainer.Options.small(400, 100, 7));

  /** How the world's checkpoints are labelled for probes: 4 samples at temperature 0.8, answers of at most 40 tokens. */
  public LabelSettings labelling() {
    return new LabelSettings(4, 0.8, 1.0, 40, 1);
  }

  /**
   * What each probe family reads of this world's model (L layers): the last two hidden states,
   * last token (linear, mlp); every position of the last (attention); every position of layer L−1
   * for a one-block submodel.
   */
  public FeatureSpec featureSpec(ProbeFamily family) {
    int last = training.layers();
    return switch (family) {
      case LINEAR, MLP -> new FeatureSpec(List.of(last - 1, last), Pooling.LAST);
      case ATTENTION -> new FeatureSpec(List.of(last), Pooling.ALL);
      case SUBMODEL -> new FeatureSpec(List.of(last - 1), Pooling.ALL);
    };
  }

  public TaskCatalog tasks() {
    return new SyntheticWorld().promptSets(promptsPerTask, promptSeed);
  }

  public static Path tasksDir(Path dir) { return dir.resolve("tasks"); }

  /** Writes the prompt sets to {@code <dir>/tasks} and trains the model, checkpoints under {@code <dir>/checkpoints}. */
  public List<Path> make(Path dir, ProgressBar progress) throws IOException {
    TaskCatalog tasks = writeTasks(dir);
    return new WorldModelTrainer(new SyntheticWorld()).train(dir, SyntheticWorld.promptsOf(tasks), training, progress);
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
