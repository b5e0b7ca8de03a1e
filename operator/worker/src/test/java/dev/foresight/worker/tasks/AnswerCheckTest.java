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
}
