package dev.foresight.worker.evaluation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.tasks.CheckKind;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import dev.foresight.worker.tokenizer.CharacterTokenizer;
import dev.foresight.worker.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One character is one token here, and the prompt gets a BOS: a prompt of n characters is n + 1 tokens. */
class ContextDemandTest {

  @TempDir Path dir;
  private Tokenizer tokenizer;

  @BeforeEach
  void tokenizer() throws Exception {
    CharacterTokenizer.write(dir, "0123456789+=# ");
    tokenizer = Tokenizer.open(dir);
  }

  @AfterEach
  void close() {
    tokenizer.close();
  }

  private static ModelConfig context(int tokens) {
    return ModelConfig.llama(18, 8, 16, 1, 2, 1, tokens, 1, 2);
  }

  private static TaskPrompt prompt(String id, int promptChars, int answerChars) {
    return new TaskPrompt(id, "1".repeat(promptChars), "#### " + "2".repeat(answerChars - 5), CheckKind.NUMBER, null,
        List.of());
  }

  // "a": 10 + 1 prompt tokens, 8 answer tokens; "b": 20 + 1 and 6; "c": 3 + 1 and 6.
  private final TaskCatalog tasks = TaskCatalog.of(List.of(
      new TaskSet("sums", List.of(prompt("a", 10, 8), prompt("b", 20, 6))),
      new TaskSet("more", List.of(prompt("c", 3, 6)))));

  @Test
  void promptAndGoldAnswerMustFitTogether() {
    assertDoesNotThrow(() -> ContextDemand.withAnswers(tasks).check(context(27), tokenizer));
    PromptTooLongException e = assertThrows(PromptTooLongException.class,
        () -> ContextDemand.withAnswers(tasks).check(context(26), tokenizer));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS, e.exitCode());
    assertEquals(List.of("task sums, prompt 'b': 27 tokens (21 of prompt + 6 of gold answer)"), e.prompts());
    assertEquals("1 prompt does not fit the model's context of 26 tokens (max_position_embeddings in config.json):"
        + " task sums, prompt 'b': 27 tokens (21 of prompt + 6 of gold answer)", e.getMessage());
  }

  @Test
  void generationCountsTheNewTokensNotTheAnswer() {
    assertDoesNotThrow(() -> ContextDemand.withGeneration(tasks, 5).check(context(26), tokenizer));
    PromptTooLongException e = assertThrows(PromptTooLongException.class,
        () -> ContextDemand.withGeneration(tasks, 10).check(context(20), tokenizer));
    assertEquals(List.of("task sums, prompt 'a': 21 tokens (11 of prompt + up to 10 new tokens)",
        "task sums, prompt 'b': 31 tokens (21 of prompt + up to 10 new tokens)"), e.prompts());
  }

  @Test
  void theMessageShowsTheFirstFewAndCountsTheRest() {
    List<TaskPrompt> many = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      many.add(prompt("p" + i, 30, 6));
    }
    PromptTooLongException e = assertThrows(PromptTooLongException.class, () -> ContextDemand.withAnswers(
        TaskCatalog.of(List.of(new TaskSet("long", many)))).check(context(16), tokenizer));
    assertEquals(8, e.prompts().size());
    assertTrue(e.getMessage().startsWith("8 prompts do not fit the model's context of 16 tokens"), e.getMessage());
    assertTrue(e.getMessage().endsWith("task long, prompt 'p4': 37 tokens (31 of prompt + 6 of gold answer);"
        + " and 3 more"), e.getMessage());
  }
}
