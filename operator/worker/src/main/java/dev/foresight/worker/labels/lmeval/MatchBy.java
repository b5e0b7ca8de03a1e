package dev.foresight.worker.labels.lmeval;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a logged document finds its prompt in our task file. */
public enum MatchBy {
  /** The prompt lm-eval gave the model equals the task file's prompt, whitespace at the ends aside. */
  PROMPT("prompt"),
  /** The task file's ids are lm-eval's doc ids (the document's index in the evaluated split). */
  DOC_ID("doc-id");

  private final String cliName;

  MatchBy(String cliName) { this.cliName = cliName; }

  public String cliName() { return cliName; }

  /** @throws IllegalArgumentException naming the option and the accepted values */
  public static MatchBy fromCliName(String name) {
    return Arrays.stream(values()).filter(m -> m.cliName.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("--match must be one of "
            + Arrays.stream(values()).map(MatchBy::cliName).collect(Collectors.joining(", ")) + ", got '" + name + "'"));
  }
}
