package dev.foresight.api.worker;

import dev.foresight.api.training.TrainingPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The arguments of {@code foresight training <stage> --plan FILE [--index I]}: one stage of a
 * ProbeTraining, reading the plan the operator mounted. Indexed stages take the pod's completion
 * index ({@link LabelShardCommand#JOB_INDEX}, expanded by Kubernetes). As with
 * {@link WorkerCommand}, the worker's parser declares exactly these names.
 */
public record TrainingStageCommand(Stage stage, String planFile, String device, String dtype, Integer batchSize) {

  public static final String SUBCOMMAND = "training";
  public static final String PLAN = "--plan";
  public static final String INDEX = "--index";

  /** The stage commands; indexed ones run as Indexed Jobs. */
  public enum Stage {
    CHECK(false), LABEL(true), IMPORT(true), EXTRACT(true), TRAIN(false);

    private final boolean indexed;

    Stage(boolean indexed) { this.indexed = indexed; }

    public boolean indexed() { return indexed; }

    public String cliName() { return name().toLowerCase(Locale.ROOT); }
  }

  public TrainingStageCommand {
    Objects.requireNonNull(stage, "stage");
    planFile = planFile == null ? TrainingPlan.FILE : planFile;
  }

  public List<String> toArgs() {
    List<String> args = new ArrayList<>(List.of(SUBCOMMAND, stage.cliName(), PLAN, planFile));
    if (stage.indexed()) {
      args.addAll(List.of(INDEX, LabelShardCommand.JOB_INDEX));
    }
    WorkerCommand.addIfSet(args, WorkerCommand.DEVICE, device);
    WorkerCommand.addIfSet(args, WorkerCommand.DTYPE, dtype);
    WorkerCommand.addIfSet(args, WorkerCommand.BATCH_SIZE, batchSize);
    return args;
  }
}
