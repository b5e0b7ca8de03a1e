package dev.foresight.worker.world;

import dev.foresight.worker.tasks.CheckKind;
import java.util.SplittableRandom;

/**
 * {@code mul 34*7=} → {@code 4*7=28;3*7+2=23;#### 238}: long multiplication by one digit, from
 * the right, each partial product with the carry it received. The first factor has 1 to
 * {@code maxDigits} digits. Harder than addition: the model must know the times table, not only
 * digit sums.
 */
final class Multiplication implements TaskFamily {
  private final int maxDigits;

  Multiplication(int maxDigits) {
    this.maxDigits = maxDigits;
  }

  @Override
  public String name() { return "mul"; }

  @Override
  public Example sample(SplittableRandom random, SyntheticWorld.SizeDraw sizes) {
    int a = SyntheticWorld.number(random, sizes.draw(random, 1, maxDigits));
    int b = 2 + random.nextInt(8);
    return new Example(name() + " " + a + "*" + b + "=", solve(a, b), CheckKind.NUMBER);
  }

  @Override
  public int longestAnswer() {
    return solve(SyntheticWorld.largest(maxDigits), 9).length(); // 9×9 = 81: two-digit partial products, carries
  }

  static String solve(int a, int b) {
    StringBuilder sb = new StringBuilder();
    int carry = 0;
    for (int x = a; x > 0 || sb.length() == 0; x /= 10) {
      int d = x % 10;
      int product = d * b + carry;
      sb.append(d).append('*').append(b);
      if (carry > 0) {
        sb.append('+').append(carry);
      }
      sb.append('=').append(product).append(';');
      carry = product / 10;
    }
    return sb.append("#### ").append(a * b).toString();
  }
}
