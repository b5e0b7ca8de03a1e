package dev.foresight.worker.world;

import java.util.SplittableRandom;

/**
 * A kind of problem the world's model learns. Each family draws problems of graded difficulty
 * (more digits, more carries, longer strings), so a partly trained model solves some prompts of a
 * family and not others, and the families are learnt at different speeds.
 */
public interface TaskFamily {

  /** The task name (also the prompt's first word, which tells the model what to do). */
  String name();

  /** A problem whose size (digits, letters) {@code sizes} picks. */
  Example sample(SplittableRandom random, SyntheticWorld.SizeDraw sizes);

  /** The length of this family's longest gold answer, in characters (tokens, for the character tokenizer). */
  int longestAnswer();
}
