package dev.foresight.worker.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnswerCheckTest {

  @Test
  void exactIgnoresSurroundingWhitespaceOnly() {
    AnswerCheck c = AnswerCheck.of(CheckKind.EXACT, " olleh ", null);
    assertTrue(c.passes("olleh\n"));
    assertFalse(c.passes("Olleh"));
    assertFalse(c.passes("olle h"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "3+4=7 so 7+5=12 #### 12 |12     ",
      "#### 1,234             |1234   ",
      "it is -3.50 degrees    |-3.5   ",
      "#### 12 then 99        |12     ",
      "first 7, then 8        |8      ",
      "12 #### 13 #### 14     |14     "})
  void finalNumberFollowsTheGsm8kConvention(String text, String expected) {
    assertEquals(Optional.of(new BigDecimal(expected.strip())).map(BigDecimal::stripTrailingZeros),
        AnswerCheck.finalNumber(text).map(BigDecimal::stripTrailingZeros));
  }

  @Test
  void numberCheckComparesValues() {
    AnswerCheck c = AnswerCheck.of(CheckKind.NUMBER, "2+9=11, carry 1; 1+3+1=5 #### 51", null);
    assertTrue(c.passes("#### 51"));
    assertTrue(c.passes("the answer is 51.0"));
    assertFalse(c.passes("#### 15"));
    assertFalse(c.passes("no idea"));
    assertFalse(c.passes("#### "));
  }

  @Test
  void numberCheckRejectsAGoldAnswerWithoutNumber() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AnswerCheck.of(CheckKind.NUMBER, "fifty-one", null));
    assertTrue(e.getMessage().contains("no number"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "B                         |B",
      "(C) because it rains      |C",
      "D. Paris                  |D",
      "I think the answer is (A) |A",
      "Answer: b? no, Answer: E  |E"})
  void choiceFindsTheLetterAnOutputCommitsTo(String text, char expected) {
    assertEquals(Optional.of(expected), AnswerCheck.choiceLetter(text));
  }

  @Test
  void choiceWithoutALetterFails() {
    AnswerCheck c = AnswerCheck.of(CheckKind.CHOICE, "B", null);
    assertTrue(c.passes(" B"));
    assertFalse(c.passes("Because"));
    assertFalse(c.passes("A"));
    assertFalse(c.passes(""));
  }

  @Test
  void regexFindsThePatternAnywhere() {
    AnswerCheck c = AnswerCheck.of(CheckKind.REGEX, "def f", "def \\w+\\(x\\):");
    assertTrue(c.passes("here:\ndef square(x):\n  return x*x"));
    assertFalse(c.passes("def square(y):"));
  }

  @Test
  void sumCheckPassesAnyPairWithTheGoldTotal() {
    AnswerCheck c = AnswerCheck.of(CheckKind.SUM, "12+35", null);
    assertTrue(c.passes("12+35"));
    assertTrue(c.passes("46+1"));
    assertTrue(c.passes(" 20+27\n"));
    assertFalse(c.passes("12+36"), "wrong total");
    assertFalse(c.passes("47"), "not a pair");
    assertFalse(c.passes("12+30+5"), "three terms");
    assertFalse(c.passes("07+40"), "a leading zero");
    assertFalse(c.passes("0+47"), "a term that is not positive");
    assertFalse(c.passes("-3+50"), "a negative term");
    assertFalse(c.passes("12 + 35"), "another shape than the gold answer's");
    assertFalse(c.passes(""));
  }

  @Test
  void sumCheckRejectsAGoldAnswerThatIsNoPair() {
    for (String gold : new String[] {"47", "012+35", "12+35=47", "a+b"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> AnswerCheck.of(CheckKind.SUM, gold, null));
      assertTrue(e.getMessage().contains("'" + gold + "' is not a sum a+b"), e.getMessage());
    }
  }

  @Test
  void sortedCheckPassesAnyTieOrderOfTheSameItems() {
    AnswerCheck c = AnswerCheck.of(CheckKind.SORTED, "1a 2d 3b 3c", null);
    assertTrue(c.passes("1a 2d 3b 3c"));
    assertTrue(c.passes("1a 2d 3c 3b"), "ties in the other order");
    assertTrue(c.passes(" 1a  2d 3c\t3b "), "whitespace between items is free");
    assertFalse(c.passes("2d 1a 3b 3c"), "out of order");
    assertFalse(c.passes("1a 2d 3b"), "an item missing");
    assertFalse(c.passes("1a 2d 3b 3c 4e"), "an extra item");
    assertFalse(c.passes("1a 2d 3b 3b"), "an item twice, another missing");
    assertFalse(c.passes("1a 2d 3b 3e"), "another item");
    assertFalse(c.passes(""));
    assertTrue(AnswerCheck.of(CheckKind.SORTED, "9x 10y", null).passes("9x 10y"), "numbers compare by value, not text");
  }

  @Test
  void sortedCheckRejectsAGoldAnswerItCannotUse() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> AnswerCheck.of(CheckKind.SORTED, "  ", null))
        .getMessage().contains("no items"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> AnswerCheck.of(CheckKind.SORTED, "1a b 3c", null))
        .getMessage().contains("item 'b' of answer '1a b 3c' has no leading number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> AnswerCheck.of(CheckKind.SORTED, "3c 1a", null))
        .getMessage().contains("is not sorted"));
  }
}
