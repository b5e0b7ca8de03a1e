package dev.foresight.worker.runtime;

/**
 * One generated continuation.
 *
 * @param tokens the generated ids (an ending EOS is not included)
 * @param text their text, cut before a stop string if one ended it
 * @param finish why it ended
 */
public record Completion(int[] tokens, String text, Finish finish) {

  public enum Finish {
    /** The model produced an end-of-sequence token. */
    EOS,
    /** The text reached a stop string. */
    STOP_STRING,
    /** maxNewTokens ran out. */
    LENGTH
  }
}
