package dev.foresight.worker.cli;

import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.checkpoint.CheckpointException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The worker's command line, {@code foresight}: the pod entrypoint and the tool for running the
 * worker by hand. Exit codes follow {@link WorkerExitCode}: 2 for bad arguments, 3 for a checkpoint
 * that is missing or unusable, 1 for anything else.
 */
@Command(name = "foresight", mixinStandardHelpOptions = true,
    description = "Predicts a checkpoint's downstream pass@1 from its hidden states.",
    subcommands = {InspectCommand.class, LabelCommand.class, LabelMergeCommand.class, ExtractCommand.class, TrainCommand.class,
        EvaluateCommand.class, ScanSubcommand.class, TrainingCommand.class, PredictCommand.class, DemoCommand.class, BenchCommand.class})
public final class ForesightCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** The command line with Foresight's exit codes and error messages wired in. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new ForesightCli());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      WorkerExitCode code = exitCode(e);
      if (code == WorkerExitCode.FAILED && !(e instanceof WorkerException)) {
        // Not an error we anticipated: its stack trace is what a bug report needs.
        e.printStackTrace(commandLine.getErr());
      }
      commandLine.getErr().println("foresight: " + e.getMessage());
      return code.code();
    });
    cli.setExecutionStrategy(parseResult -> {
      Integer help = CommandLine.executeHelpRequest(parseResult);
      if (help != null) {
        return help;
      }
      List<CommandLine> chain = parseResult.asCommandLineList();
      CommandLine command = chain.get(chain.size() - 1);
      checkDevices(command, command.getCommandSpec());
      return new CommandLine.RunLast().execute(parseResult);
    });
    cli.setParameterExceptionHandler((e, args) -> {
      e.getCommandLine().getErr().println("foresight: " + e.getMessage());
      return WorkerExitCode.INVALID_ARGUMENTS.code();
    });
    return cli;
  }

  /**
   * Resolves every {@code --device}/{@code --dtype} the command carries before it runs: a GPU asked
   * for and not there is a bad argument (exit 2) at once, for every command alike.
   */
  private static void checkDevices(CommandLine command, CommandLine.Model.CommandSpec spec) {
    for (CommandLine.Model.CommandSpec mixin : spec.mixins().values()) {
      if (mixin.userObject() instanceof DeviceOptions devices) {
        try {
          devices.check();
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(command, e.getMessage(), e);
        }
      }
      checkDevices(command, mixin);
    }
  }

  static WorkerExitCode exitCode(Throwable e) {
    if (e instanceof WorkerException w) {
      return w.exitCode();
    }
    if (e instanceof CheckpointException c) {
      return c.exitCode();
    }
    if (e instanceof IllegalArgumentException) {
      return WorkerExitCode.INVALID_ARGUMENTS;
    }
    return WorkerExitCode.FAILED;
  }

  public static void main(String[] args) {
    StopOnSignal stop = StopOnSignal.install();
    int code;
    try {
      code = commandLine().execute(args);
    } finally {
      stop.commandReturned();
    }
    System.exit(code);
  }
}
