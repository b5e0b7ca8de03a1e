package dev.foresight.worker.tasks;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a task decides whether a generated answer is right: the {@code check} field of a task line. */
public enum CheckKind {
  /** The output, stripped of surrounding whitespace, equals the stripped gold answer. */
  EXACT("exact"),
  /** The final number of the output equals the gold answer's (GSM8K: the number after {@code ####}). */
  NUMBER("number"),
  /** The output picks the same letter (A–Z) as the gold answer. */
  CHOICE("choice"),
  /** The task line's {@code pattern} (a Java regular expression) is found in the output. */
  REGEX("regex"),
  /**
   * The output is a sum {@code a+b} of two positive whole numbers without leading zeros, shaped like
   * the gold answer, whose value equals the gold answer's: any pair with the right total passes.
   */
  SUM("sum"),
  /**
   * The output's space-separated items are the gold answer's items, in any order that keeps their
   * leading numbers non-decreasing: items with equal numbers (ties) may come in any order.
   */
  SORTED("sorted");

  private final String wireName;

  CheckKind(String wireName) { this.wireName = wireName; }

  public String wireName() { return wireName; }

  /** Returns null for an unknown name; {@link #expected()} lists the known ones for the error. */
  public static CheckKind fromWireName(String name) {
    for (CheckKind k : values()) {
      if (k.wireName.equals(name)) {
        return k;
      }
    }
    return null;
  }

  static String expected() {
    return Arrays.stream(values()).map(CheckKind::wireName).collect(Collectors.joining(", "));
  }
}
