package dev.foresight.worker.runtime;

/**
 * Where generation time went, accumulated over the batches of one or more
 * {@link Generator#generate} calls: prompt prefill versus token-by-token decoding.
 */
public final class GenerationTiming {

  private long prefillNanos;
  private long decodeNanos;
  private long decodeSteps;
  private long decodedTokens;

  void addPrefill(long nanos) { prefillNanos += nanos; }

  void addDecodeStep(long nanos, int sequences) {
    decodeNanos += nanos;
    decodeSteps++;
    decodedTokens += sequences;
  }

  public double prefillSeconds() { return prefillNanos / 1e9; }

  public double decodeSeconds() { return decodeNanos / 1e9; }

  /** Forward passes of one new token per sequence. */
  public long decodeSteps() { return decodeSteps; }

  /** Tokens computed by decode steps (batch rows × steps, finished rows included). */
  public long decodedTokens() { return decodedTokens; }
}
