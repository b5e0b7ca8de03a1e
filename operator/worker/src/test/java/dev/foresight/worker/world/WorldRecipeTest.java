package dev.foresight.worker.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldRecipeTest {

  private static WorldRecipe recipe(int steps, int saveEvery) {
    return new WorldRecipe(8, 1, SyntheticWorld.Sizes.SMALL, WorldModelTrainer.Options.small(steps, saveEvery, 1));
  }

  @Test
  void checkpointsEveryKStepsAndAtTheLastStep() {
    assertEquals(List.of(250, 500, 750, 1000), recipe(1000, 250).checkpointSteps());
    assertEquals(List.of(300, 600, 900, 1000), recipe(1000, 300).checkpointSteps());
    assertEquals(List.of(5), recipe(5, 10).checkpointSteps());
    assertThrows(IllegalArgumentException.class, () -> recipe(100, 0));
  }

  @Test
  void theTrainingLossIsReadBackFromTrainerState(@TempDir Path dir) throws IOException {
    assertTrue(TrainerState.trainingLoss(dir).isEmpty());
    new TrainerState(200, List.of(new TrainerState.LogEntry(100, 2.5), new TrainerState.LogEntry(200, 1.25))).write(dir);
    assertEquals(1.25, TrainerState.trainingLoss(dir).getAsDouble());
    assertTrue(Files.readString(dir.resolve(TrainerState.FILE)).contains("\"global_step\" : 200"));
  }

  @Test
  void aWorldIsMadeOnlyOnceItsRecipeIsRecorded(@TempDir Path dir) throws IOException {
    WorldRecipe r = recipe(4, 2);
    assertTrue(WorldRecipe.madeIn(dir).isEmpty());
    r.make(dir, new dev.foresight.worker.progress.ProgressBar("t", "steps", 4,
        dev.foresight.worker.progress.ProgressBar.Mode.OFF, System.err, System::nanoTime));
    assertEquals(r, WorldRecipe.madeIn(dir).orElseThrow());
    assertTrue(r.isMadeIn(dir));
    assertTrue(!recipe(6, 2).isMadeIn(dir));
    Files.delete(WorldModelTrainer.checkpointDir(dir, 2).resolve("config.json"));
    assertTrue(!r.isMadeIn(dir), "a missing checkpoint means the world is not whole");
    assertTrue(TrainerState.trainingLoss(WorldModelTrainer.checkpointDir(dir, 4)).getAsDouble() > 0);
  }

  @Test
  void theKindIsRecordedAndAnOldRecordWithoutOneReadsAsSingleAnswer(@TempDir Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    WorldRecipe many = recipe(4, 2).withKind(WorldKind.MANY_ANSWERS);
    String written = json.writeValueAsString(many);
    assertTrue(written.contains("\"kind\":\"many-answers\""), written);
    assertEquals(many, json.readValue(written, WorldRecipe.class));

    WorldRecipe single = recipe(4, 2);
    assertEquals(WorldKind.SINGLE_ANSWER, single.kind());
    ObjectNode old = (ObjectNode) json.readTree(json.writeValueAsString(single));
    old.remove("kind");
    Files.writeString(WorldRecipe.recipeFile(dir), old.toString());
    assertEquals(single, WorldRecipe.madeIn(dir).orElseThrow(), "a world.json from before the kinds is single-answer");
    assertNotEquals(many, WorldRecipe.madeIn(dir).orElseThrow());
  }

  @Test
  void theManyAnswersWorldTrainsWithItsOwnTokenizerAndPrompts(@TempDir Path dir) throws IOException {
    WorldRecipe r = recipe(2, 2).withKind(WorldKind.MANY_ANSWERS);
    r.make(dir, new dev.foresight.worker.progress.ProgressBar("t", "steps", 2,
        dev.foresight.worker.progress.ProgressBar.Mode.OFF, System.err, System::nanoTime));
    assertTrue(r.isMadeIn(dir));
    assertTrue(!recipe(2, 2).isMadeIn(dir), "the single-answer recipe is not the world made there");
    assertEquals(List.of("add.jsonl", "sort.jsonl", "sum.jsonl"),
        Files.list(WorldRecipe.tasksDir(dir)).map(p -> p.getFileName().toString()).sorted().toList());
    String tokenizer = Files.readString(WorldModelTrainer.tokenizerDir(dir).resolve("tokenizer.json"));
    assertTrue(tokenizer.contains("\"o\""), "the many-answers alphabet has the 'o' of 'sort'");
  }
}
