package dev.foresight.worker.tasks;

import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.WorkerException;
import java.nio.file.Path;
import java.util.List;

/** A task file that cannot be used; the message names the file and each bad line (at most {@value #MAX_SHOWN}). */
public class TaskFileException extends WorkerException {
  private static final long serialVersionUID = 1L;
  static final int MAX_SHOWN = 10;

  private final List<String> problems;

  public TaskFileException(Path file, List<String> problems) {
    super(WorkerExitCode.INVALID_ARGUMENTS, format(file, problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem as {@code "line N: what is wrong"} (or without a line when it concerns the whole file). */
  public List<String> problems() { return problems; }

  private static String format(Path file, List<String> problems) {
    StringBuilder sb = new StringBuilder("task file ").append(file).append(": ");
    sb.append(String.join("; ", problems.subList(0, Math.min(MAX_SHOWN, problems.size()))));
    if (problems.size() > MAX_SHOWN) {
      sb.append("; and ").append(problems.size() - MAX_SHOWN).append(" more problems");
    }
    return sb.toString();
  }
}
