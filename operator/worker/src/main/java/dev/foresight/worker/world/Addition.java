package dev.foresight.worker.world;

import dev.foresight.worker.tasks.CheckKind;
import java.util.SplittableRandom;

/**
 * {@code add 47+38=} → {@code 7+8=15;4+3+1=8;#### 85}: column addition from the right, each
 * column with the carry it received, then the sum after GSM8K's {@code ####}. Operands have 1 to 3
 * digits; more digits mean more columns to get right.
 */
final class Addition implements TaskFamily {

  @Override
  public String name() { return "add"; }

  @Override
  public Example sample(SplittableRandom random) {
    int a = operand(random);
    int b = operand(random);
    return new Example(name() + " " + a + "+" + b + "=", solve(a, b), CheckKind.NUMBER);
  }

  private static int operand(SplittableRandom random) {
    int digits = 1 + random.nextInt(3);
    int low = digits == 1 ? 0 : (int) Math.pow(10, digits - 1);
    return low + random.nextInt((int) Math.pow(10, digits) - low);
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
