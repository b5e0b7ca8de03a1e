package dev.foresight.worker.evaluation;

import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.WorkerException;
import java.util.List;

/**
 * Prompts that do not fit the model's context: invalid arguments when they come from the user's
 * task files (a probe bundle's own prompts are its caller's to judge). The message names the
 * context and the first {@value #MAX_SHOWN} prompts.
 */
public class PromptTooLongException extends WorkerException {
  private static final long serialVersionUID = 1L;
  static final int MAX_SHOWN = 5;

  private final List<String> prompts;

  PromptTooLongException(String context, List<String> prompts) {
    super(WorkerExitCode.INVALID_ARGUMENTS, format(context, prompts));
    this.prompts = List.copyOf(prompts);
  }

  /** One line per prompt: task, prompt id, its length and what it adds up from. */
  public List<String> prompts() { return prompts; }

  private static String format(String context, List<String> prompts) {
    StringBuilder sb = new StringBuilder().append(prompts.size()).append(prompts.size() == 1 ? " prompt does" : " prompts do")
        .append(" not fit ").append(context).append(": ");
    sb.append(String.join("; ", prompts.subList(0, Math.min(MAX_SHOWN, prompts.size()))));
    if (prompts.size() > MAX_SHOWN) {
      sb.append("; and ").append(prompts.size() - MAX_SHOWN).append(" more");
    }
    return sb.toString();
  }
}
