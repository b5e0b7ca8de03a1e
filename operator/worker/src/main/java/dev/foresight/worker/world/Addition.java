package dev.foresight.worker.world;

import dev.foresight.worker.tasks.CheckKind;
import java.util.SplittableRandom;

/**
 * {@code add 47+38=} → {@code 7+8=15;4+3+1=8;#### 85}: column addition from the right, each
 * column with the carry it received, then the sum after GSM8K's {@code ####}. Operands have 1 to
 * {@code maxDigits} digits; more digits mean more columns to get right.
 */
final class Addition implements TaskFamily {
  private final int maxDigits;

  Addition(int maxDigits) {
    this.maxDigits = maxDigits;
  }

  @Override
  public String name() { return "add"; }

  @Override
  public Example sample(SplittableRandom random, SyntheticWorld.SizeDraw sizes) {
    int a = SyntheticWorld.number(random, sizes.draw(random, 1, maxDigits));
    int b = SyntheticWorld.number(random, sizes.draw(random, 1, maxDigits));
    return new Example(name() + " " + a + "+" + b + "=", solve(a, b), CheckKind.NUMBER);
  }

  @Override
  public int longestAnswer() {
    int largest = SyntheticWorld.largest(maxDigits);
    return solve(largest, largest).length(); // 9+9 in every column: every column is carried into
  }

  static String solve(int a, int b) {
    StringBuilder sb = new StringBuilder();
    int carry = 0;
    for (int x = a, y = b; x > 0 || y > 0 || sb.length() == 0; x /= 10, y /= 10) {
      int dx = x % 10;
      int dy = y % 10;
      int sum = dx + dy + carry;
      sb.append(dx).append('+').append(dy);
      if (carry > 0) {
        sb.append('+').append(carry);
      }
      sb.append('=').append(sum).append(';');
      carry = sum / 10;
    }
    return sb.append("#### ").append(a + b).toString();
  }
}
