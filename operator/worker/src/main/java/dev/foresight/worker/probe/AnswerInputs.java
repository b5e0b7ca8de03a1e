package dev.foresight.worker.probe;

/**
 * What the forward pass that gives a probe its hidden states also says about the gold answer,
 * appended to a one-vector probe's input: the answer's log-probability, its log-odds, and its bits
 * per byte; and, when the features replay the labels' sampler, the log-probability that one sample is
 * exactly the gold answer (tempered, and ended) with its log-odds. Hidden states drift as training
 * goes on, and a probe trained on early checkpoints reads later ones' states off its map; the answer's
 * likelihood keeps its meaning on every checkpoint, and the sampler's is a single-answer task's pass
 * probability itself, so they carry the probe past the checkpoints it learnt from (docs/demo.md,
 * "Choices"). {@link FeatureNorm} standardises these inputs with the training checkpoints'
 * statistics, as it does the states.
 */
public final class AnswerInputs {
  /** Inputs from the answer's likelihood: ln p(answer), ln(p / (1 − p)), bits per byte. */
  public static final int WIDTH = 3;
  /** With the sampler's: ln q(answer, end) and ln(q / (1 − q)) appended. */
  public static final int WITH_SAMPLER = 5;
  /** ln p is kept at or below this, so that the log-odds of a certain answer stay finite (≈ 9.2). */
  private static final double MOST_LIKELY = -1e-4;
  private static final double LN2 = Math.log(2);

  private AnswerInputs() {}

  /**
   * Writes the likelihood inputs of one prompt at {@code into[at..at + WIDTH)}.
   *
   * @param bits −log₂ p(gold answer | prompt), summed over the answer's tokens
   * @param bytes the gold answer's UTF-8 bytes
   */
  static void write(double bits, long bytes, float[] into, int at) {
    logProbAndOdds(bits, into, at);
    into[at + 2] = (float) (bits / Math.max(1, bytes));
  }

  /**
   * Writes the sampler's inputs at {@code into[at..at + 2)}.
   *
   * @param samplerBits −log₂ of the chance that one sample is the gold answer and ends there
   */
  static void writeSampler(double samplerBits, float[] into, int at) {
    logProbAndOdds(samplerBits, into, at);
  }

  private static void logProbAndOdds(double bits, float[] into, int at) {
    double lnP = Math.min(MOST_LIKELY, -bits * LN2);
    into[at] = (float) lnP;
    into[at + 1] = (float) (lnP - Math.log(-Math.expm1(lnP)));
  }
}
