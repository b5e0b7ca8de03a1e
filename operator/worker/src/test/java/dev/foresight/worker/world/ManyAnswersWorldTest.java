package dev.foresight.worker.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.worker.tasks.AnswerCheck;
import dev.foresight.worker.tasks.CheckKind;
import dev.foresight.worker.tasks.TaskPrompt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ManyAnswersWorldTest {
  private static final SyntheticWorld.Sizes SIZES = new SyntheticWorld.Sizes(4, 8);
  private static final SyntheticWorld WORLD = new SyntheticWorld(WorldKind.MANY_ANSWERS, SIZES);

  private static AnswerCheck checkOf(Example e) {
    return new TaskPrompt("x", e.prompt(), e.answer(), e.check(), null, List.of()).check();
  }

  @Test
  void theWorldHasItsOwnFamiliesChecksAndAlphabet() {
    assertEquals(List.of("sum", "sort", "add"), WORLD.families().stream().map(TaskFamily::name).toList());
    SplittableRandom random = new SplittableRandom(4);
    assertEquals(CheckKind.SUM, new SumPair(3).sample(random, SyntheticWorld.SizeDraw.UNIFORM).check());
    assertEquals(CheckKind.SORTED, new TieSort(5).sample(random, SyntheticWorld.SizeDraw.UNIFORM).check());
    assertEquals(CheckKind.NUMBER, new StepwiseAddition(3).sample(random, SyntheticWorld.SizeDraw.UNIFORM).check());
    assertEquals(SyntheticWorld.ALPHABET, new SyntheticWorld(SIZES).alphabet(), "the single-answer world keeps its alphabet");
    assertNotEquals(SyntheticWorld.ALPHABET, WORLD.alphabet());
  }

  @Test
  void everyAnswerPassesItsOwnCheckFitsTheCapAndUsesTheAlphabet() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 3000; i++) {
      Example e = WORLD.trainingExample(random, Set.of());
      assertTrue(checkOf(e).passes(e.answer()), e.toString());
      assertTrue(e.answer().length() <= WORLD.longestAnswer(), e.toString());
      (e.prompt() + e.answer()).chars().forEach(c -> assertTrue(WORLD.alphabet().indexOf(c) >= 0,
          "'" + (char) c + "' of " + e + " is not in the alphabet"));
    }
    assertEquals("99+99=198;198+99=297;297+99=396;#### 396".length() + 4, WORLD.longestAnswer(),
        "a bound: each step's numbers are at most as long as the largest total");
  }

  /** For the same prompt, draws give several different answers, and the first one's check accepts them all. */
  @Test
  void drawingAPromptAgainGivesOtherRightAnswers() {
    SyntheticWorld.SizeDraw smallest = (random, lo, hi) -> lo + 1; // a size with room for several answers
    for (TaskFamily family : WORLD.families()) {
      Map<String, List<Example>> byPrompt = new LinkedHashMap<>();
      SplittableRandom random = new SplittableRandom(7);
      for (int i = 0; i < 20_000; i++) {
        Example e = family.sample(random, smallest);
        byPrompt.computeIfAbsent(e.prompt(), p -> new ArrayList<>()).add(e);
      }
      int varied = 0;
      for (List<Example> draws : byPrompt.values()) {
        AnswerCheck gold = checkOf(draws.get(0));
        Set<String> answers = new LinkedHashSet<>();
        for (Example e : draws) {
          assertTrue(gold.passes(e.answer()), family.name() + ": " + e.answer() + " fails the check of " + draws.get(0));
          answers.add(e.answer());
        }
        varied += answers.size() > 1 ? 1 : 0;
      }
      assertTrue(varied >= 10, family.name() + ": only " + varied + " prompts got more than one answer");
    }
  }

  @Test
  void stepwiseAdditionAddsTwoOfTheNumbersLeftAtEachStep() {
    SplittableRandom random = new SplittableRandom(3);
    Set<String> paths = new LinkedHashSet<>();
    for (int i = 0; i < 200; i++) {
      String answer = StepwiseAddition.solve(List.of(12, 5, 30), random);
      assertTrue(answer.endsWith(";#### 47") && answer.split(";").length == 3, answer);
      paths.add(answer);
    }
    assertTrue(paths.contains("12+30=42;42+5=47;#### 47") || paths.contains("30+12=42;42+5=47;#### 47"), paths.toString());
    assertTrue(paths.contains("5+12=17;17+30=47;#### 47") || paths.contains("12+5=17;17+30=47;#### 47"), paths.toString());
    assertTrue(paths.size() >= 6, "3 terms have 12 paths (pair and order); seen " + paths);
  }

  @Test
  void promptSetsAreTheSameForTheSameSeed() {
    assertEquals(WORLD.promptSets(40, 9).sets(), WORLD.promptSets(40, 9).sets());
    assertNotEquals(WORLD.promptSets(40, 9).sets(), WORLD.promptSets(40, 10).sets());
    assertEquals("sum", WORLD.promptSets(40, 9).sets().get(0).name());
  }

  @Test
  void sizesOutsideAFamilysRangeAreRefused() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new SyntheticWorld(WorldKind.MANY_ANSWERS, new SyntheticWorld.Sizes(3, 11))).getMessage()
        .contains("2 to 10 items"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new SyntheticWorld(WorldKind.MANY_ANSWERS, new SyntheticWorld.Sizes(1, 5))).getMessage()
        .contains("at least 2 digits"));
  }

  @Test
  void worldKindsAreNamedOnTheWire() {
    assertEquals(WorldKind.MANY_ANSWERS, WorldKind.fromWireName("many-answers"));
    assertEquals(WorldKind.SINGLE_ANSWER, WorldKind.fromWireName("single-answer"));
    assertEquals("unknown world 'flat' (expected one of single-answer, many-answers)",
        assertThrows(IllegalArgumentException.class, () -> WorldKind.fromWireName("flat")).getMessage());
  }
}
