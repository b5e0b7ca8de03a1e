package dev.foresight.worker.world;

import dev.foresight.worker.tasks.CheckKind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code add 12+5+30=} → {@code 12+30=42;42+5=47;#### 47} or {@code 5+12=17;17+30=47;#### 47}:
 * add 2 to {@code maxTerms} numbers of 1 or 2 digits, each step adding two of the numbers left
 * (a running total counts as one), chosen at random, then the total after GSM8K's {@code ####};
 * checked by that final number. The worked steps vary from draw to draw, so the gold solution is
 * one of many right paths. More terms mean more steps to get right.
 */
final class StepwiseAddition implements TaskFamily {
  private final int maxTerms;

  StepwiseAddition(int maxTerms) {
    if (maxTerms < 2) {
      throw new IllegalArgumentException("stepwise addition needs at least 2 terms, not " + maxTerms);
    }
    this.maxTerms = maxTerms;
  }

  @Override
  public String name() { return "add"; }

  @Override
  public Example sample(SplittableRandom random, SyntheticWorld.SizeDraw sizes) {
    int count = sizes.draw(random, 2, maxTerms);
    List<Integer> terms = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      terms.add(SyntheticWorld.number(random, 1 + random.nextInt(2)));
    }
    StringBuilder prompt = new StringBuilder(name()).append(' ');
    for (int i = 0; i < count; i++) {
      prompt.append(i == 0 ? "" : "+").append(terms.get(i));
    }
    return new Example(prompt.append('=').toString(), solve(terms, random), CheckKind.NUMBER);
  }

  /** One random path: while two or more numbers are left, add two of them and put the sum back. */
  static String solve(List<Integer> terms, SplittableRandom random) {
    List<Integer> left = new ArrayList<>(terms);
    StringBuilder sb = new StringBuilder();
    while (left.size() > 1) {
      int a = left.remove(random.nextInt(left.size()));
      int b = left.remove(random.nextInt(left.size()));
      sb.append(a).append('+').append(b).append('=').append(a + b).append(';');
      left.add(a + b);
    }
    return sb.append("#### ").append(left.get(0)).toString();
  }

  /**
   * A bound, not the exact longest: every step's three numbers are at most as long as the largest
   * total, so {@code a+b=c;} takes at most three of its lengths and three signs.
   */
  @Override
  public int longestAnswer() {
    int total = Integer.toString(maxTerms * 99).length();
    return (maxTerms - 1) * (3 * total + 3) + "#### ".length() + total;
  }
}
