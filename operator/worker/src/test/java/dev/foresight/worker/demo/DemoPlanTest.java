package dev.foresight.worker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.world.WorldKind;
import org.junit.jupiter.api.Test;

class DemoPlanTest {

  @Test
  void theSingleAnswerDefaultIsTheDefault() {
    assertSame(DemoPlan.DEFAULT, DemoPlan.defaultFor(WorldKind.SINGLE_ANSWER));
    assertEquals(WorldKind.SINGLE_ANSWER, DemoPlan.DEFAULT.withSeed(3).world().kind());
  }

  @Test
  void theManyAnswersDefaultChangesOnlyTheWorldAndTheSeedKeepsIt() {
    DemoPlan many = DemoPlan.defaultFor(WorldKind.MANY_ANSWERS);
    assertEquals(WorldKind.MANY_ANSWERS, many.world().kind());
    assertEquals(DemoPlan.DEFAULT.world().training(), many.world().training());
    assertEquals(DemoPlan.DEFAULT.world().sizes().digits(), many.world().sizes().digits());
    assertEquals(DemoPlan.MANY_ANSWERS_ITEMS, many.world().sizes().letters());
    assertEquals(DemoPlan.DEFAULT.labelledSteps(), many.labelledSteps());
    LabelSettings single = DemoPlan.DEFAULT.world().labelling();
    LabelSettings manyLabels = many.world().labelling();
    assertEquals(single.samples(), manyLabels.samples());
    assertEquals(single.temperature(), manyLabels.temperature());
    assertEquals(60, manyLabels.maxNewTokens(), "about the default's cap (" + single.maxNewTokens() + "): the same work");
    DemoPlan seeded = many.withSeed(11);
    assertEquals(WorldKind.MANY_ANSWERS, seeded.world().kind());
    assertEquals(11, seeded.world().promptSeed());
    assertEquals(many.world().sizes(), seeded.world().sizes());
  }
}
