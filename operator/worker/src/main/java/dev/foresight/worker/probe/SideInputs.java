package dev.foresight.worker.probe;

import dev.foresight.worker.features.TaskFeatures;

/**
 * What a one-vector probe reads beside the hidden states: the {@link AnswerInputs} (none, the
 * likelihood's 3, or 5 with the sampler's) and the checkpoint's training step.
 *
 * <p>Why the step: the labelled checkpoints show how a prompt's chance of success grows with training
 * at fixed states and likelihood (a model that spreads its probability over several right answers
 * passes more often than the gold answer's likelihood says, and more so as it trains). As ln(step),
 * standardised like every input, the head can carry that trend past the newest labelled checkpoint,
 * which neither the drifting states nor the likelihood do. It assumes a run whose skills grow with its
 * steps; the interval's rehearsal on the newest labelled checkpoint measures how far that holds.
 *
 * @param answer answer inputs read: 0, {@link AnswerInputs#WIDTH} or {@link AnswerInputs#WITH_SAMPLER}
 * @param step whether the head reads ln(step)
 */
public record SideInputs(int answer, boolean step) {
  public static final SideInputs NONE = new SideInputs(0, false);

  public SideInputs {
    if (answer != 0 && answer != AnswerInputs.WIDTH && answer != AnswerInputs.WITH_SAMPLER) {
      throw new IllegalArgumentException("answer inputs are " + AnswerInputs.WIDTH + " or " + AnswerInputs.WITH_SAMPLER
          + " wide, not " + answer);
    }
  }

  public int width() {
    return answer + (step ? 1 : 0);
  }

  public boolean any() {
    return width() > 0;
  }

  /**
   * Writes row {@code i}'s side inputs at {@code into[at..at + width())}.
   *
   * @param step the training step of the checkpoint {@code features} come from (null when unknown)
   * @throws IllegalArgumentException when the features or the step lack what this reads
   */
  void write(TaskFeatures features, int i, Long step, float[] into, int at) {
    if (answer > 0) {
      AnswerInputs.write(features.answerBits()[i], features.answerBytes()[i], into, at);
    }
    if (answer == AnswerInputs.WITH_SAMPLER) {
      if (features.samplerBits() == null) {
        throw new IllegalArgumentException(features.task() + ": the probe reads the sampler's chance of the gold answer,"
            + " and these features have none (extract them with the labels' temperature)");
      }
      AnswerInputs.writeSampler(features.samplerBits()[i], into, at + AnswerInputs.WIDTH);
    }
    if (this.step) {
      if (step == null) {
        throw new IllegalArgumentException(features.task() + ": the probe reads the checkpoint's training step, and"
            + " none was given");
      }
      into[at + answer] = (float) Math.log(Math.max(1, step));
    }
  }
}
