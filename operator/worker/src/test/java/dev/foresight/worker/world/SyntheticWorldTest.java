package dev.foresight.worker.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.worker.tasks.CheckKind;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
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
      TaskPrompt p = new TaskPrompt("x", e.prompt(), e.answer(), e.check(), null, java.util.List.of());
      assertTrue(p.check().passes(e.answer()), e.toString());
      (e.prompt() + e.answer()).chars().forEach(c -> assertTrue(SyntheticWorld.ALPHABET.indexOf(c) >= 0,
          "'" + (char) c + "' of " + e + " is not in the alphabet"));
    }
    assertEquals(CheckKind.EXACT, new Reversal(7).sample(random).check());
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
