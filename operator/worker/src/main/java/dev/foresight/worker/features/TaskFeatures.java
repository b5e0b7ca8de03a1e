package dev.foresight.worker.features;

import java.util.List;

/**
 * A checkpoint's hidden-state features on one task's prompts, in prompt order, and the gold
 * answers' teacher-forced cost from the same forward pass.
 *
 * @param task the task name
 * @param ids prompt ids, one per row
 * @param width features per position: hidden size × layers read (concatenated in layer order)
 * @param positions positions per row: 1 for pooled features, else the longest row's (the pooling's span:
 *     the prompt, or the prompt and its gold answer)
 * @param states {@code rows × positions × width} floats, rows right-padded with zeros
 * @param lengths real positions per row (1 for pooled features)
 * @param answerBits −log₂ p(gold answer | prompt) per row, summed over the answer's tokens
 * @param answerBytes UTF-8 bytes of each gold answer
 * @param samplerBits per row, −log₂ of the chance that the labels' sampler writes exactly the gold answer
 *     and ends ({@link FeatureSpec#samplerTemperature}); null when the spec replays no sampler
 */
public record TaskFeatures(String task, List<String> ids, int width, int positions, float[] states, int[] lengths,
    double[] answerBits, long[] answerBytes, double[] samplerBits) {

  public TaskFeatures(String task, List<String> ids, int width, int positions, float[] states, int[] lengths,
      double[] answerBits, long[] answerBytes) {
    this(task, ids, width, positions, states, lengths, answerBits, answerBytes, null);
  }

  public TaskFeatures {
    ids = List.copyOf(ids);
    int n = ids.size();
    if ((long) n * positions * width != states.length) {
      throw new IllegalArgumentException(task + ": " + states.length + " floats for " + n + " rows × "
          + positions + " positions × " + width + " features");
    }
    if (lengths.length != n || answerBits.length != n || answerBytes.length != n) {
      throw new IllegalArgumentException(task + ": lengths, answer bits and bytes need one entry per row");
    }
    if (samplerBits != null && samplerBits.length != n) {
      throw new IllegalArgumentException(task + ": sampler bits need one entry per row");
    }
    for (int len : lengths) {
      if (len < 1 || len > positions) {
        throw new IllegalArgumentException(task + ": row length " + len + " outside 1.." + positions);
      }
    }
  }

  public int rows() { return ids.size(); }

  /**
   * Bits per byte of the gold answers over the whole task: Σ bits / Σ bytes (so long answers
   * weigh more, as in OLMo's in-loop metric). A lower number means the checkpoint finds the
   * right answers more likely.
   */
  public double answerBitsPerByte() {
    double bits = 0;
    long bytes = 0;
    for (int i = 0; i < rows(); i++) {
      bits += answerBits[i];
      bytes += answerBytes[i];
    }
    return bytes == 0 ? 0 : bits / bytes;
  }
}
