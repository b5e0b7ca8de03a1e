package dev.foresight.worker.world;

import dev.foresight.worker.tasks.CheckKind;
import java.util.SplittableRandom;

/**
 * {@code rev abcd=} → {@code dcba}: write a word of 2 to {@code maxLetters} letters backwards,
 * checked exactly. Long words are harder: the model must copy from further back.
 */
final class Reversal implements TaskFamily {
  static final String LETTERS = "abcdefghij";
  private final int maxLetters;

  Reversal(int maxLetters) {
    this.maxLetters = maxLetters;
  }

  @Override
  public String name() { return "rev"; }

  @Override
  public int longestAnswer() { return maxLetters; }

  @Override
  public Example sample(SplittableRandom random, SyntheticWorld.SizeDraw sizes) {
    int length = sizes.draw(random, 2, maxLetters);
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < length; i++) {
      word.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
    }
    return new Example(name() + " " + word + "=", new StringBuilder(word).reverse().toString(), CheckKind.EXACT);
  }
}
