package dev.foresight.worker.labels;

/**
 * How a checkpoint was sampled for labels. Resuming a label file with other settings would mix two
 * experiments in one file, so {@link LabelFile} refuses it.
 *
 * @param samples samples per prompt (soft labels need several)
 * @param temperature 0 for greedy decoding
 * @param topP nucleus sampling threshold (1 = off)
 * @param maxNewTokens generated tokens per sample at most
 * @param seed every prompt's samples depend only on this seed, the task and the prompt's id, so a
 *     resumed run, another batch size or a sharded run produces what one uninterrupted run would have
 */
public record LabelSettings(int samples, double temperature, double topP, int maxNewTokens, long seed) {
  /** {@code foresight label}'s defaults, also what a ProbeTraining's unset sampling fields mean. */
  public static final int DEFAULT_SAMPLES = 4;
  public static final double DEFAULT_TEMPERATURE = 0.6;
  public static final double DEFAULT_TOP_P = 1.0;
  public static final int DEFAULT_MAX_NEW_TOKENS = 64;
  public static final long DEFAULT_SEED = 0;

  public LabelSettings {
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be at least 1, got " + samples);
    }
    if (temperature < 0) {
      throw new IllegalArgumentException("temperature must not be negative, got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
    }
    if (maxNewTokens < 1) {
      throw new IllegalArgumentException("max-new-tokens must be at least 1, got " + maxNewTokens);
    }
  }
}
