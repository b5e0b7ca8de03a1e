package dev.foresight.worker.tasks;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides whether one generated output answers one prompt correctly. Built once per prompt from
 * its gold answer, so a gold answer that cannot be checked (no number in a {@code number} task, no
 * letter in a {@code choice} task) is rejected when the task file is read, not mid-evaluation.
 */
public sealed interface AnswerCheck {

  boolean passes(String output);

  /** Builds the check for {@code kind}; throws {@link IllegalArgumentException} saying why the gold answer does not fit. */
  static AnswerCheck of(CheckKind kind, String answer, String pattern) {
    return switch (kind) {
      case EXACT -> new Exact(answer.strip());
      case NUMBER -> new FinalNumber(finalNumber(answer).orElseThrow(
          () -> new IllegalArgumentException("answer '" + answer + "' has no number to compare with")));
      case CHOICE -> new Choice(choiceLetter(answer).orElseThrow(
          () -> new IllegalArgumentException("answer '" + answer + "' names no choice letter A-Z")));
      case REGEX -> new Regex(Pattern.compile(pattern));
      case SUM -> new Sum(Sum.value(answer).orElseThrow(() -> new IllegalArgumentException("answer '" + answer
          + "' is not a sum a+b of two positive whole numbers without leading zeros")));
      case SORTED -> Sorted.of(answer);
    };
  }

  record Exact(String answer) implements AnswerCheck {
    @Override
    public boolean passes(String output) { return output.strip().equals(answer); }
  }

  record FinalNumber(BigDecimal answer) implements AnswerCheck {
    @Override
    public boolean passes(String output) {
      return finalNumber(output).map(n -> n.compareTo(answer) == 0).orElse(false);
    }
  }

  record Choice(char letter) implements AnswerCheck {
    @Override
    public boolean passes(String output) {
      return choiceLetter(output).map(c -> c == letter).orElse(false);
    }
  }

  record Regex(Pattern pattern) implements AnswerCheck {
    @Override
    public boolean passes(String output) { return pattern.matcher(output).find(); }
  }

  /** Any {@code a+b} whose value is {@code total}: a question with many right answers, judged by what they add up to. */
  record Sum(BigInteger total) implements AnswerCheck {
    private static final Pattern SHAPE = Pattern.compile("([1-9]\\d*)\\+([1-9]\\d*)");

    @Override
    public boolean passes(String output) {
      return value(output).map(total::equals).orElse(false);
    }

    /** The value of {@code a+b} (surrounding whitespace aside); empty for any other shape. */
    static Optional<BigInteger> value(String text) {
      Matcher m = SHAPE.matcher(text.strip());
      return m.matches() ? Optional.of(new BigInteger(m.group(1)).add(new BigInteger(m.group(2)))) : Optional.empty();
    }
  }

  /**
   * The gold answer's items reordered so that their leading numbers never decrease; ties in any
   * order. {@code items} is the gold answer's multiset, in a canonical (lexicographic) order.
   */
  record Sorted(List<String> items) implements AnswerCheck {
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\d+");

    public Sorted {
      items = List.copyOf(items);
    }

    static Sorted of(String answer) {
      List<String> items = items(answer);
      if (items.isEmpty()) {
        throw new IllegalArgumentException("answer '" + answer + "' has no items to sort");
      }
      for (String item : items) {
        if (!LEADING_NUMBER.matcher(item).find()) {
          throw new IllegalArgumentException("item '" + item + "' of answer '" + answer + "' has no leading number to sort by");
        }
      }
      if (!inOrder(items)) {
        throw new IllegalArgumentException("answer '" + answer + "' is not sorted: its items' leading numbers decrease");
      }
      return new Sorted(items.stream().sorted().toList());
    }

    @Override
    public boolean passes(String output) {
      List<String> given = items(output);
      return given.stream().sorted().toList().equals(items) && inOrder(given);
    }

    private static List<String> items(String text) {
      String stripped = text.strip();
      return stripped.isEmpty() ? List.of() : Arrays.asList(stripped.split("\\s+"));
    }

    /** Whether the leading numbers never decrease (every item has one: the gold answer's items were checked). */
    private static boolean inOrder(List<String> items) {
      BigInteger previous = null;
      for (String item : items) {
        Matcher m = LEADING_NUMBER.matcher(item);
        if (!m.find()) {
          return false;
        }
        BigInteger n = new BigInteger(m.group());
        if (previous != null && n.compareTo(previous) < 0) {
          return false;
        }
        previous = n;
      }
      return true;
    }
  }

  /** A decimal number, optionally signed, with optional thousands separators: "-1,234.5". */
  Pattern NUMBER = Pattern.compile("-?\\d[\\d,]*(?:\\.\\d+)?");
  String GSM8K_MARKER = "####";

  /**
   * The number an output commits to: the first number after the last {@code ####} when there is
   * one (GSM8K's convention, so a worked solution may mention other numbers before it), otherwise
   * the last number in the text. Thousands separators are dropped; 51 and 51.0 are equal.
   */
  static Optional<BigDecimal> finalNumber(String text) {
    int marker = text.lastIndexOf(GSM8K_MARKER);
    if (marker >= 0) {
      Matcher m = NUMBER.matcher(text).region(marker + GSM8K_MARKER.length(), text.length());
      return m.find() ? Optional.of(parse(m.group())) : Optional.empty();
    }
    Matcher m = NUMBER.matcher(text);
    String last = null;
    while (m.find()) {
      last = m.group();
    }
    return last == null ? Optional.empty() : Optional.of(parse(last));
  }

  private static BigDecimal parse(String number) {
    return new BigDecimal(number.replace(",", ""));
  }

  /** "the answer is (B)", "Answer: B": the last such statement wins. */
  Pattern STATED_CHOICE = Pattern.compile("(?i:answer\\s*(?:is|:))\\s*\\(?([A-Z])\\)?(?![A-Za-z])");
  /** Otherwise the output must start with the letter: "B", "(B)", "B) because ...", "B. ...". */
  Pattern LEADING_CHOICE = Pattern.compile("^\\s*\\(?([A-Z])(?![A-Za-z])");

  /** The letter an output chooses, by the two patterns above; empty when it commits to none. */
  static Optional<Character> choiceLetter(String text) {
    Matcher stated = STATED_CHOICE.matcher(text);
    Character letter = null;
    while (stated.find()) {
      letter = stated.group(1).charAt(0);
    }
    if (letter != null) {
      return Optional.of(letter);
    }
    Matcher leading = LEADING_CHOICE.matcher(text);
    return leading.find() ? Optional.of(leading.group(1).charAt(0)) : Optional.empty();
  }
}
