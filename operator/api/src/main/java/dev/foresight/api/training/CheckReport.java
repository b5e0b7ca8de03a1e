package dev.foresight.api.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The check stage's termination message: the labelled checkpoints are all of one architecture and
 * tokenizer (else the stage exits 2 naming them, and the training is InvalidSpec before any GPU
 * pod runs), how many there are and how many prompts each labels.
 *
 * @param checkpoints labelled checkpoints (the labelling Job has checkpoints × shards completions)
 * @param promptsPerCheckpoint prompts over all tasks, labelled on every checkpoint
 * @param bundle "absent", "same" (the output already holds this training's bundle) or "replace"
 *     (another bundle, and the spec says overwrite)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckReport(int v, int checkpoints, long firstStep, long lastStep, long promptsPerCheckpoint,
    List<String> tasks, String architecture, String tokenizer, String bundle) {
  public static final int CURRENT_VERSION = 1;
  public static final String BUNDLE_ABSENT = "absent";
  public static final String BUNDLE_SAME = "same";
  public static final String BUNDLE_REPLACE = "replace";
}
