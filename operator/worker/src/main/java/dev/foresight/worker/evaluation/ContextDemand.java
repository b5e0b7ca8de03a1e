package dev.foresight.worker.evaluation;

import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import dev.foresight.worker.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run asks of the model's context for each prompt: the prompt's tokens, plus the gold
 * answer's where the answer is read teacher-forced after it (features, bits per byte), plus the
 * tokens generation may add. Checked once the tokenizer and config.json are known and before any
 * weight is loaded: a prompt past {@code max_position_embeddings} would otherwise run at positions
 * the model never learned, or need an attention mask no memory holds, minutes into the run.
 */
public final class ContextDemand {

  private final TaskCatalog tasks;
  private final boolean answers;
  private final int newTokens;

  private ContextDemand(TaskCatalog tasks, boolean answers, int newTokens) {
    this.tasks = tasks;
    this.answers = answers;
    this.newTokens = newTokens;
  }

  /** Each prompt followed by its gold answer, in one prefill (extract, evaluate). */
  public static ContextDemand withAnswers(TaskCatalog tasks) {
    return new ContextDemand(tasks, true, 0);
  }

  /** Each prompt followed by up to {@code maxNewTokens} generated tokens (label). */
  public static ContextDemand withGeneration(TaskCatalog tasks, int maxNewTokens) {
    return new ContextDemand(tasks, false, maxNewTokens);
  }

  /**
   * Tokenizes every prompt (and gold answer, when it counts) as prefill and generation do.
   *
   * @throws PromptTooLongException naming each prompt that does not fit, by task and id, with its
   *     length and the context's
   */
  public void check(ModelConfig config, Tokenizer tokenizer) {
    long context = config.maxPositionEmbeddings();
    List<String> tooLong = new ArrayList<>();
    for (TaskSet set : tasks.sets()) {
      for (TaskPrompt p : set.prompts()) {
        long prompt = tokenizer.encode(p.prompt()).length;
        long after = answers ? tokenizer.encode(p.answer(), false).length : newTokens;
        if (prompt + after > context) {
          tooLong.add("task " + set.name() + ", prompt '" + p.id() + "': " + (prompt + after) + " tokens (" + prompt
              + " of prompt + " + (answers ? after + " of gold answer" : "up to " + after + " new tokens") + ")");
        }
      }
    }
    if (!tooLong.isEmpty()) {
      throw new PromptTooLongException("the model's context of " + context
          + " tokens (max_position_embeddings in config.json)", tooLong);
    }
  }
}
