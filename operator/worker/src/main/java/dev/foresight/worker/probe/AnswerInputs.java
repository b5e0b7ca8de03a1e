package dev.foresight.worker.probe;

/**
 * What the forward pass that gives a probe its hidden states also says about the gold answer,
 * appended to a one-vector probe's input: the answer's log-probability, its log-odds, and its bits
 * per byte. Hidden states drift as training goes on, and a probe trained on early checkpoints
 * reads later ones' states off its map; the answer's likelihood keeps its meaning on every
 * checkpoint (a sampler reproduces an answer of probability p about p of the time at temperature
 * 1), so it carries the probe past the checkpoints it learnt from. {@link FeatureNorm} standardises
 * these inputs with the training checkpoints' statistics, as it does the states.
 */
public final class AnswerInputs {
  /** Inputs appended: ln p(answer), ln(p / (1 − p)), bits per byte. */
  public static final int WIDTH = 3;
  /** ln p is kept at or below this, so that the log-odds of a certain answer stay finite (≈ 9.2). */
  private static final double MOST_LIKELY = -1e-4;
  private static final double LN2 = Math.log(2);

  private AnswerInputs() {}

  /**
   * Writes the inputs of one prompt at {@code into[at..at + WIDTH)}.
   *
   * @param bits −log₂ p(gold answer | prompt), summed over the answer's tokens
   * @param bytes the gold answer's UTF-8 bytes
   */
  static void write(double bits, long bytes, float[] into, int at) {
    double lnP = Math.min(MOST_LIKELY, -bits * LN2);
    into[at] = (float) lnP;
    into[at + 1] = (float) (lnP - Math.log(-Math.expm1(lnP)));
    into[at + 2] = (float) (bits / Math.max(1, bytes));
  }
}
