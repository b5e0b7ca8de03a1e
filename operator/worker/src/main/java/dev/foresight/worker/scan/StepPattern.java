package dev.foresight.worker.scan;

import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.worker.ScanCommand;
import dev.foresight.worker.WorkerException;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a folder's name gives its step: a regular expression whose first group captures the step,
 * searched in the name (anchor it with {@code ^...$} to match the whole name, as the default does).
 */
public final class StepPattern {
  private final Pattern pattern;

  private StepPattern(Pattern pattern) {
    this.pattern = pattern;
  }

  /**
   * @param regex null for {@link CheckpointPrefix#DEFAULT_STEP_PATTERN}
   * @throws WorkerException (invalid arguments) naming {@code --step-pattern} when it does not compile or has no group
   */
  public static StepPattern of(String regex) {
    String source = regex == null ? CheckpointPrefix.DEFAULT_STEP_PATTERN : regex;
    Pattern p;
    try {
      p = Pattern.compile(source);
    } catch (PatternSyntaxException e) {
      throw WorkerException.invalidArguments(ScanCommand.STEP_PATTERN + " '" + source
          + "' is not a regular expression: " + e.getDescription() + " at index " + e.getIndex());
    }
    if (p.matcher("").groupCount() < 1) {
      throw WorkerException.invalidArguments(ScanCommand.STEP_PATTERN + " '" + source
          + "' has no group: its first group must capture the step, as in 'step-([0-9]+)'");
    }
    return new StepPattern(p);
  }

  /**
   * The step {@code folderName} gives; empty when the pattern does not match or its group is not a
   * whole number that fits a long (such a folder is not a checkpoint of this run).
   */
  public OptionalLong step(String folderName) {
    Matcher m = pattern.matcher(folderName);
    if (!m.find() || m.group(1) == null) {
      return OptionalLong.empty();
    }
    String digits = m.group(1);
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(digits));
    } catch (NumberFormatException tooLarge) {
      return OptionalLong.empty();
    }
  }
}
