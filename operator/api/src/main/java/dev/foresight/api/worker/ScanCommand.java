package dev.foresight.api.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of {@code foresight scan} as the controller passes them to a ProbeMonitor's scan
 * pod: list the checkpoint folders under a prefix and report the ready ones (a
 * {@link dev.foresight.api.scan.ScanReport}, newest first, steps strictly between {@code above}
 * and {@code below}) through the termination message. As with {@link WorkerCommand}, the worker's
 * parser declares exactly these option names.
 *
 * @param marker null: a folder is ready when complete and unchanged for {@code settleSeconds}
 * @param above null: no lower bound (a monitor passes the highest step it has seen, to hear only of new ones)
 * @param below null: no upper bound (a monitor passes the lowest step of the last page, to page a backlog)
 * @param from null: no lower end of the step range (spec.steps.from, inclusive)
 * @param to null: no upper end of the step range (spec.steps.to, inclusive)
 */
public record ScanCommand(
    String prefix,
    String stepPattern,
    String marker,
    Integer settleSeconds,
    Long above,
    Long below,
    Long from,
    Long to,
    String reportFile) {

  public static final String SUBCOMMAND = "scan";
  public static final String PREFIX = "--prefix";
  public static final String STEP_PATTERN = "--step-pattern";
  public static final String MARKER = "--marker";
  public static final String SETTLE_SECONDS = "--settle-seconds";
  public static final String ABOVE = "--above";
  public static final String BELOW = "--below";
  public static final String FROM = "--from";
  public static final String TO = "--to";

  public ScanCommand {
    Objects.requireNonNull(prefix, "prefix");
  }

  public List<String> toArgs() {
    List<String> args = new ArrayList<>();
    args.add(SUBCOMMAND);
    args.add(PREFIX);
    args.add(prefix);
    WorkerCommand.addIfSet(args, STEP_PATTERN, stepPattern);
    WorkerCommand.addIfSet(args, MARKER, marker);
    WorkerCommand.addIfSet(args, SETTLE_SECONDS, settleSeconds);
    WorkerCommand.addIfSet(args, ABOVE, above);
    WorkerCommand.addIfSet(args, BELOW, below);
    WorkerCommand.addIfSet(args, FROM, from);
    WorkerCommand.addIfSet(args, TO, to);
    WorkerCommand.addIfSet(args, WorkerCommand.REPORT_FILE, reportFile);
    return args;
  }
}
