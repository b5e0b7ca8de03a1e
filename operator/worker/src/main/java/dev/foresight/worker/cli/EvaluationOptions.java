package dev.foresight.worker.cli;

import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.labels.LabelSettings;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What {@code evaluate} and {@code predict} take: the options the controller renders
 * ({@link WorkerCommand}, whose constants name them here) except where the results go.
 */
final class EvaluationOptions {
  /** Generation with --validate samples from this seed: the same checkpoint validates the same way every time. */
  static final long VALIDATION_SEED = 0;

  @Option(names = WorkerCommand.CHECKPOINT, required = true, description = "checkpoint directory, file://, pvc:// or s3://")
  String checkpoint;

  @Option(names = WorkerCommand.PROBE, required = true, description = "probe bundle directory, file://, pvc:// or s3://")
  String probe;

  @Option(names = WorkerCommand.STEP, paramLabel = "N",
      description = "the checkpoint's training step, for a probe that reads it (default: global_step of the checkpoint's"
          + " trainer_state.json)")
  Long step;

  @Option(names = WorkerCommand.TASKS, split = ",", paramLabel = "TASK",
      description = "only these tasks of the bundle (default: all)")
  List<String> tasks = List.of();

  @Option(names = WorkerCommand.VALIDATE,
      description = "also run the generative evaluation on the same prompts: actual pass@1 and the probe's error")
  boolean validate;

  @Option(names = WorkerCommand.SAMPLES, defaultValue = "4", description = "--validate: samples per prompt (default: ${DEFAULT-VALUE})")
  int samples;

  @Option(names = WorkerCommand.MAX_NEW_TOKENS, defaultValue = "512",
      description = "--validate: tokens per sample at most (default: ${DEFAULT-VALUE})")
  int maxNewTokens;

  @Option(names = WorkerCommand.TEMPERATURE, defaultValue = "0.6",
      description = "--validate: sampling temperature, 0 for greedy (default: ${DEFAULT-VALUE})")
  double temperature;

  /** The checkpoint's training step: --step, else what the checkpoint records, else null. */
  Long step(Checkpoint checkpoint) {
    return step(step, checkpoint);
  }

  /** {@code given} (a {@code --step} option, here or {@code extract}'s), else what the checkpoint records, else null. */
  static Long step(Long given, Checkpoint checkpoint) {
    if (given != null && given < 0) {
      throw new IllegalArgumentException(WorkerCommand.STEP + " must not be negative, got " + given);
    }
    return given != null ? given : checkpoint.trainingStep();
  }

  /** The generative check's settings, or null without --validate. */
  LabelSettings validation() {
    if (!validate) {
      return null;
    }
    try {
      return new LabelSettings(samples, temperature, 1.0, maxNewTokens, VALIDATION_SEED);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--validate: " + e.getMessage());
    }
  }
}
