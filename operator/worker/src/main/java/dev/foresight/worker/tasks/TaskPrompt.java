package dev.foresight.worker.tasks;

import java.util.List;
import java.util.Objects;

/**
 * One line of a task file: a prompt, its gold answer and how an output is checked.
 *
 * @param id unique within its task
 * @param prompt the text the model continues
 * @param answer the gold continuation: teacher-forced for bits-per-byte, and the reference of the
 *     exact, number and choice checks (for chain-of-thought tasks it carries the worked solution)
 * @param checkKind how an output is judged
 * @param pattern the regular expression of a {@link CheckKind#REGEX regex} check, otherwise null
 * @param stop strings that end a generated answer (the stop string itself is not part of it)
 */
public record TaskPrompt(String id, String prompt, String answer, CheckKind checkKind, String pattern, List<String> stop) {

  public TaskPrompt {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(checkKind, "checkKind");
    stop = stop == null ? List.of() : List.copyOf(stop);
  }

  /** The checker for this prompt; throws IllegalArgumentException if the gold answer cannot be checked. */
  public AnswerCheck check() {
    return AnswerCheck.of(checkKind, answer, pattern);
  }

  /** Cuts a generated text at the first stop string, as the generator does. */
  public String cutAtStop(String generated) {
    int end = generated.length();
    for (String s : stop) {
      int i = generated.indexOf(s);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return generated.substring(0, end);
  }
}
