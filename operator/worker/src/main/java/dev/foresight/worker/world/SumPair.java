package dev.foresight.worker.world;

import dev.foresight.worker.tasks.CheckKind;
import java.util.SplittableRandom;

/**
 * {@code sum 47=} → any {@code a+b} of positive whole numbers adding up to 47 ({@code 12+35},
 * {@code 46+1}, …), checked by its value. Each draw picks a fresh first term, so training spreads
 * the model's probability over all the right pairs; the gold answer is just one of them. Targets
 * have 2 to {@code maxDigits} digits; more digits mean a longer subtraction to get right.
 */
final class SumPair implements TaskFamily {
  private final int maxDigits;

  SumPair(int maxDigits) {
    if (maxDigits < 2) {
      throw new IllegalArgumentException("the sum task's targets need at least 2 digits, not " + maxDigits);
    }
    this.maxDigits = maxDigits;
  }

  @Override
  public String name() { return "sum"; }

  @Override
  public Example sample(SplittableRandom random, SyntheticWorld.SizeDraw sizes) {
    int target = SyntheticWorld.number(random, sizes.draw(random, 2, maxDigits));
    int a = 1 + random.nextInt(target - 1);
    return new Example(name() + " " + target + "=", a + "+" + (target - a), CheckKind.SUM);
  }

  @Override
  public int longestAnswer() { return 2 * maxDigits + 1; }
}
