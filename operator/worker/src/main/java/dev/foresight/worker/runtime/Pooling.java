package dev.foresight.worker.runtime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which positions of a sequence's hidden states prefill returns: a span of the sequence (the
 * prompt, or the gold answer teacher-forced after it, or both) and how it is reduced (its last
 * position, the mean, or every position). Answer-aware poolings need a continuation: appending it
 * leaves the prompt's states unchanged (causal attention), so the same forward pass that scores
 * the gold answer's bits per byte reads the states the model has while it reads that answer.
 */
public enum Pooling {
  /** The last prompt token: one vector per layer (linear and MLP probes). */
  LAST(Span.PROMPT, Reduction.LAST),
  /** The mean over the prompt's tokens: one vector per layer. */
  MEAN(Span.PROMPT, Reduction.MEAN),
  /** Every prompt token: promptLength vectors per layer (attention-pooling and submodel probes). */
  ALL(Span.PROMPT, Reduction.EVERY),
  /** The mean over the gold answer's tokens, read after the prompt: one vector per layer. */
  ANSWER(Span.ANSWER, Reduction.MEAN),
  /** Every token of the prompt and then of its gold answer (attention-pooling and submodel probes). */
  ALL_WITH_ANSWER(Span.PROMPT_AND_ANSWER, Reduction.EVERY);

  /** The tokens a pooling reads. */
  public enum Span { PROMPT, ANSWER, PROMPT_AND_ANSWER }

  /** How a span becomes features. */
  public enum Reduction { LAST, MEAN, EVERY }

  private final Span span;
  private final Reduction reduction;

  Pooling(Span span, Reduction reduction) {
    this.span = span;
    this.reduction = reduction;
  }

  public Span span() { return span; }

  public Reduction reduction() { return reduction; }

  /** Whether the features keep one vector per position of the span, not one pooled vector. */
  public boolean everyPosition() { return reduction == Reduction.EVERY; }

  /** Whether the features read the gold answer (a continuation after the prompt). */
  public boolean readsAnswer() { return span != Span.PROMPT; }

  /** The first position of the span in a sequence of {@code promptLength} tokens and a continuation. */
  public int spanStart(int promptLength) {
    return span == Span.ANSWER ? promptLength : 0;
  }

  /** The end (exclusive) of the span. */
  public int spanEnd(int promptLength, int continuationLength) {
    return span == Span.PROMPT ? promptLength : promptLength + continuationLength;
  }

  /**
   * The pooling that keeps every position of this one's span, for probes that read every position:
   * {@link #ALL} for the prompt's, {@link #ALL_WITH_ANSWER} when this one reads the gold answer
   * (with the prompt before it, which those probes also read).
   */
  public Pooling withEveryPosition() {
    return readsAnswer() ? ALL_WITH_ANSWER : ALL;
  }

  /** The name on the command line and in probe.json: {@code last}, {@code all-with-answer}, … */
  @JsonValue
  public String cliName() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

  /**
   * The pooling of a name ({@link #cliName()}; case and {@code _} for {@code -} tolerated, so
   * bundles that wrote {@code "LAST"} still read).
   */
  @JsonCreator
  public static Pooling fromCliName(String name) {
    for (Pooling p : values()) {
      if (p.cliName().equalsIgnoreCase(name.replace('_', '-'))) {
        return p;
      }
    }
    throw new IllegalArgumentException("pooling must be one of "
        + Arrays.stream(values()).map(Pooling::cliName).collect(Collectors.joining(", ")) + ", not '" + name + "'");
  }
}
