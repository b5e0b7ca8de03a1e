package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.features.FeatureFile;
import dev.foresight.worker.features.TaskFeatures;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.world.TestWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code foresight extract} on the test world's checkpoints. */
class ExtractCommandTest {
  private final TestWorld world = TestWorld.get();

  @Test
  void featuresOfChosenLayersWithTheirProvenance() throws Exception {
    FeatureFile f = FeatureFile.read(world.features(400, "linear"));
    try (Checkpoint c = Checkpoint.open(world.checkpoint(400))) {
      assertEquals(c.fingerprint(), f.provenance().checkpoint());
    }
    assertEquals(List.of(1, 2), f.provenance().spec().layers());
    assertEquals(Pooling.LAST, f.provenance().spec().pooling());
    // The labels' sampler, replayed (extract --temperature), and the step from trainer_state.json.
    assertEquals(TestWorld.RECIPE.labelling().temperature(), f.provenance().spec().samplerTemperature());
    assertEquals(Long.valueOf(400), f.provenance().step());
    assertEquals(world.tasks().names(), List.copyOf(f.tasks().keySet()));
    for (TaskFeatures t : f.tasks().values()) {
      assertEquals(TestWorld.PROMPTS_PER_TASK, t.rows());
      assertEquals(2 * 64, t.width(), "two layers of a 64-wide model, concatenated");
      assertEquals(world.tasks().get(t.task()).promptSetHash(), f.provenance().promptSetHashes().get(t.task()));
      for (double bits : t.samplerBits()) {
        assertTrue(bits > 0 && Double.isFinite(bits), t.task() + " sampler bits " + bits);
      }
      double bpb = t.answerBitsPerByte();
      assertTrue(bpb > 0 && bpb < 8, t.task() + " bits per byte " + bpb);
    }
  }

  @Test
  void everyPositionForAttentionProbes() {
    FeatureFile f = FeatureFile.read(world.features(400, "attention"));
    TaskFeatures rev = f.tasks().get("rev");
    // "rev abcd=" is 9 characters plus BOS: each row keeps one state per prompt token.
    for (int i = 0; i < rev.rows(); i++) {
      String prompt = world.tasks().get("rev").prompts().get(i).prompt();
      assertEquals(prompt.length() + 1, rev.lengths()[i]);
    }
    assertEquals(java.util.Arrays.stream(rev.lengths()).max().orElseThrow(), rev.positions());
  }

  @Test
  void trainingLowersTheGoldAnswersBitsPerByte() {
    FeatureFile early = FeatureFile.read(world.features(100, "linear"));
    FeatureFile late = FeatureFile.read(world.features(400, "linear"));
    for (String task : world.tasks().names()) {
      double before = early.tasks().get(task).answerBitsPerByte();
      double after = late.tasks().get(task).answerBitsPerByte();
      assertTrue(after < before, task + ": " + before + " bits/byte at step 100, " + after + " at step 400");
    }
  }

  @Test
  void aLayerTheModelDoesNotHaveIsRefused() throws Exception {
    Path out = world.scratch("extract-bad-layer").resolve("f.safetensors");
    Cli.Run run = Cli.run("extract", "--checkpoint", world.checkpoint(400).toString(), "--task-files",
        world.tasksDir().toString(), "--layers", "5", "--output", out.toString());
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode());
    assertTrue(run.err().contains("--layers 5 is outside the model's hidden states 0..2"), run.err());
  }

  @Test
  void aPromptAndAnswerLongerThanTheContextIsRefusedNamingBothLengths() throws Exception {
    Path dir = world.scratch("extract-long-prompt");
    // 130 characters + BOS, then a 6-character answer, against the world model's 128 positions.
    Path tasks = Files.writeString(dir.resolve("long.jsonl"),
        "{\"id\":\"short\",\"prompt\":\"add 1+2=\",\"answer\":\"#### 3\",\"check\":\"number\"}\n"
            + "{\"id\":\"p7\",\"prompt\":\"" + "1".repeat(130) + "\",\"answer\":\"#### 3\",\"check\":\"number\"}\n");
    Path out = dir.resolve("f.safetensors");
    Cli.Run run = Cli.run("extract", "--checkpoint", world.checkpoint(400).toString(), "--task-files", tasks.toString(),
        "--output", out.toString());
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode());
    assertTrue(run.err().contains("1 prompt does not fit the model's context of 128 tokens (max_position_embeddings"
        + " in config.json): task long, prompt 'p7': 137 tokens (131 of prompt + 6 of gold answer)"), run.err());
    assertTrue(Files.notExists(out));
  }

}
