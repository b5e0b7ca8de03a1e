package dev.foresight.worker.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.worker.tasks.CheckKind;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SyntheticWorldTest {

  @Test
  void additionIsWrittenOutColumnByColumnWithCarries() {
    assertEquals("7+8=15;4+3+1=8;#### 85", Addition.solve(47, 38));
    assertEquals("6+9=15;5+8+1=14;4+7+1=12;#### 1245", Addition.solve(456, 789));
    assertEquals("7+8=15;4+3+1=8;0+1=1;#### 185", Addition.solve(47, 138));
    assertEquals("0+0=0;#### 0", Addition.solve(0, 0));
  }

  @Test
  void multiplicationCarriesPartialProducts() {
    assertEquals("4*7=28;3*7+2=23;#### 238", Multiplication.solve(34, 7));
    assertEquals("9*9=81;9*9+8=89;#### 891", Multiplication.solve(99, 9));
    assertEquals("0*5=0;#### 0", Multiplication.solve(0, 5));
  }

  @Test
  void theLongestAnswerBoundsEveryAnswer() {
    SyntheticWorld world = new SyntheticWorld(new SyntheticWorld.Sizes(4, 9));
    assertEquals("9+9=18;9+9+1=19;9+9+1=19;9+9+1=19;#### 19998".length(), new Addition(4).longestAnswer());
    assertEquals("9*9=81;9*9+8=89;9*9+8=89;9*9+8=89;#### 89991".length(), new Multiplication(4).longestAnswer());
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 2000; i++) {
      Example e = world.trainingExample(random, Set.of());
      assertTrue(e.answer().length() <= world.longestAnswer(), e.toString());
    }
    assertEquals(40, WorldRecipe.TEST.labelling().maxNewTokens(), "the tests' world keeps its 40-token cap");
  }

  @Test
  void everyAnswerPassesItsOwnCheckAndUsesTheAlphabet() {
    SyntheticWorld world = new SyntheticWorld(SyntheticWorld.Sizes.SMALL);
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 300; i++) {
      Example e = world.trainingExample(random, Set.of());
      TaskPrompt p = new TaskPrompt("x", e.prompt(), e.answer(), e.check(), null, List.of());
      assertTrue(p.check().passes(e.answer()), e.toString());
      (e.prompt() + e.answer()).chars().forEach(c -> assertTrue(SyntheticWorld.ALPHABET.indexOf(c) >= 0,
          "'" + (char) c + "' of " + e + " is not in the alphabet"));
    }
    assertEquals(CheckKind.EXACT, new Reversal(7).sample(random, SyntheticWorld.SizeDraw.UNIFORM).check());
  }

  @Test
  void aDecayMakesLongProblemsRareInTrainingButNotInThePromptSets() {
    SplittableRandom random = new SplittableRandom(4);
    int[] uniform = new int[9];
    int[] decayed = new int[9];
    SyntheticWorld.SizeDraw half = SyntheticWorld.SizeDraw.decaying(0.5);
    for (int i = 0; i < 20000; i++) {
      uniform[SyntheticWorld.SizeDraw.UNIFORM.draw(random, 1, 8)]++;
      decayed[half.draw(random, 1, 8)]++;
    }
    for (int k = 1; k <= 8; k++) {
      assertEquals(2500, uniform[k], 250, "size " + k + " uniformly");
      assertEquals(20000 * Math.pow(0.5, k - 1) / (2 - Math.pow(0.5, 7)), decayed[k], 250, "size " + k + " with decay 0.5");
    }
    assertTrue(SyntheticWorld.SizeDraw.decaying(1) == SyntheticWorld.SizeDraw.UNIFORM,
        "decay 1 draws exactly as before, so the tests' world stays the same");

    // Training sees few 4-digit additions; the prompt sets have as many as 1-digit ones.
    SyntheticWorld world = new SyntheticWorld(new SyntheticWorld.Sizes(4, 9, 0.5));
    int longTraining = 0;
    for (int i = 0; i < 3000; i++) {
      Example e = world.trainingExample(random, Set.of());
      if (e.prompt().startsWith("add ") && e.prompt().matches("add (\\d{4}\\+\\d+|\\d+\\+\\d{4})=")) {
        longTraining++;
      }
    }
    long longPrompts = world.promptSets(200, 1).get("add").prompts().stream()
        .filter(p -> p.prompt().matches("add (\\d{4}\\+\\d+|\\d+\\+\\d{4})=")).count();
    assertTrue(longTraining < 3000 / 3 * 0.3, "4-digit operands in " + longTraining + " of ~1000 training additions");
    assertTrue(longPrompts > 200 * 0.35, "4-digit operands in " + longPrompts + " of 200 prompts");
  }

  @Test
  void promptSetsAreDistinctSeededAndNeverTrainedOn() {
    SyntheticWorld world = new SyntheticWorld(SyntheticWorld.Sizes.SMALL);
    TaskCatalog a = world.promptSets(50, 9);
    assertEquals(a.sets(), world.promptSets(50, 9).sets());
    for (TaskSet s : a.sets()) {
      assertEquals(50, s.prompts().stream().map(TaskPrompt::prompt).distinct().count());
    }
    Set<String> excluded = SyntheticWorld.promptsOf(a);
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 2000; i++) {
      assertFalse(excluded.contains(world.trainingExample(random, excluded).prompt()));
    }
  }
}
