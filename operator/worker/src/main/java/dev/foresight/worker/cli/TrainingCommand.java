package dev.foresight.worker.cli;

import dev.foresight.api.training.CheckReport;
import dev.foresight.api.training.TrainingPlan;
import dev.foresight.api.training.TrainingReport;
import dev.foresight.api.training.TrainingReports;
import dev.foresight.api.worker.TrainingStageCommand;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.worker.report.ReportFile;
import dev.foresight.worker.stages.CheckStage;
import dev.foresight.worker.stages.ExtractStage;
import dev.foresight.worker.stages.ImportStage;
import dev.foresight.worker.stages.LabelStage;
import dev.foresight.worker.stages.StagePlan;
import dev.foresight.worker.stages.StageRuntime;
import dev.foresight.worker.stages.TrainStage;
import dev.foresight.worker.storage.Storage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foresight training <stage> --plan FILE [--index I]}: the stages of a ProbeTraining, each a
 * Kubernetes Job on the worker image (the arguments are {@link TrainingStageCommand}'s). The check
 * and train stages report through the termination message; every stage's failure message goes
 * there too. Exit codes: 2 invalid spec or arguments, 3 a checkpoint missing or unreadable, 1 else.
 */
@Command(name = TrainingStageCommand.SUBCOMMAND, mixinStandardHelpOptions = true,
    description = "Run one stage of a ProbeTraining (the stage pods' entrypoint); docs/training.md tells the stages.",
    subcommands = {TrainingCommand.Check.class, TrainingCommand.Label.class, TrainingCommand.Import.class,
        TrainingCommand.Extract.class, TrainingCommand.Train.class})
final class TrainingCommand implements Runnable {

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a stage is required: check, label, import, extract or train");
  }

  /** What every stage reads: the plan, where to report, and the model's runtime. */
  abstract static class Stage implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;

    @Option(names = TrainingStageCommand.PLAN, defaultValue = TrainingPlan.FILE,
        description = "the training plan the operator mounted (default: ${DEFAULT-VALUE})")
    Path plan;

    @Option(names = WorkerCommand.REPORT_FILE,
        description = "where the report or the failure message goes (default: " + WorkerCommand.TERMINATION_LOG
            + " when it exists, as in a pod; else the report goes to standard output)")
    Path reportFile;

    @Mixin RuntimeOptions runtime;

    @Override
    public Integer call() throws Exception {
      Path report = reportFile != null ? reportFile
          : Files.isWritable(Path.of(WorkerCommand.TERMINATION_LOG)) ? Path.of(WorkerCommand.TERMINATION_LOG) : null;
      return ReportFile.orFailure(report, () -> {
        StagePlan stagePlan = StagePlan.read(plan);
        try (Storage storage = Storage.fromEnvironment()) {
          String json = run(storage, stagePlan, spec.commandLine().getOut());
          if (json != null && report != null) {
            ReportFile.writeText(report, json);
          } else if (json != null) {
            spec.commandLine().getOut().println(json);
          }
        }
        return 0;
      });
    }

    /** Runs the stage; returns its report (JSON) or null for a stage without one. */
    abstract String run(Storage storage, StagePlan plan, PrintWriter out) throws Exception;

    StageRuntime stageRuntime() {
      return new StageRuntime(runtime.device(), runtime.dataType(), runtime.batchSize());
    }
  }

  /** An Indexed Job's stage: {@code --index} is the pod's completion index. */
  abstract static class IndexedStage extends Stage {
    /** One indexed stage's work. */
    @FunctionalInterface
    interface Work {
      void run(Storage storage, StagePlan plan, int index, StageRuntime runtime, PrintWriter out) throws Exception;
    }

    private final Work work;

    @Option(names = TrainingStageCommand.INDEX, required = true, paramLabel = "I",
        description = "the pod's completion index (the Job passes $(JOB_COMPLETION_INDEX))")
    int index;

    IndexedStage(Work work) { this.work = work; }

    @Override
    final String run(Storage storage, StagePlan plan, PrintWriter out) throws Exception {
      work.run(storage, plan, index, stageRuntime(), out);
      return null;
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true, description = "Check that the labelled checkpoints are of"
      + " one model, read the task files and the output bundle; report checkpoints and prompts (no weight is read).")
  static final class Check extends Stage {
    @Override
    String run(Storage storage, StagePlan plan, PrintWriter out) throws Exception {
      CheckReport report = CheckStage.run(storage, plan, out);
      return TrainingReports.encode(report);
    }
  }

  @Command(name = "label", mixinStandardHelpOptions = true,
      description = "Label shard I % shards of checkpoint I / shards (skipped when that shard is already there).")
  static final class Label extends IndexedStage {
    Label() { super(LabelStage::run); }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Import checkpoint I's labels from lm-evaluation-harness sample logs or from the monitor's"
          + " validation outputs (skipped when imported).")
  static final class Import extends IndexedStage {
    Import() { super((storage, plan, index, runtime, out) -> ImportStage.run(storage, plan, index, out)); }
  }

  @Command(name = "extract", mixinStandardHelpOptions = true,
      description = "Merge checkpoint I's label shards and extract the features each probe family reads (files there are kept).")
  static final class Extract extends IndexedStage {
    Extract() { super(ExtractStage::run); }
  }

  @Command(name = "train", mixinStandardHelpOptions = true, description = "Train every probe family, score them on the"
      + " held-out checkpoints, and publish the best one's bundle at the output.")
  static final class Train extends Stage {
    @Override
    String run(Storage storage, StagePlan plan, PrintWriter out) throws Exception {
      TrainingReport report = TrainStage.run(storage, plan, stageRuntime(), out);
      return TrainingReports.encode(report);
    }
  }
}
