package dev.foresight.worker.runtime;

/**
 * One prompt for prefill: its token ids and, optionally, continuation ids (a gold answer) whose
 * log-probabilities given the prompt are wanted. Appending the continuation leaves the prompt's
 * hidden states unchanged (causal attention), so one pass yields both.
 */
public record PromptTokens(int[] prompt, int[] continuation) {

  public PromptTokens {
    if (prompt.length == 0) {
      throw new IllegalArgumentException("a prompt needs at least one token");
    }
    prompt = prompt.clone();
    continuation = continuation == null ? new int[0] : continuation.clone();
  }

  public PromptTokens(int[] prompt) {
    this(prompt, null);
  }

  public int length() { return prompt.length + continuation.length; }
}
