package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.labels.LabelFile;
import dev.foresight.worker.labels.Labels;
import dev.foresight.worker.world.TestWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code foresight label} on the test world's trained checkpoint. */
class LabelCommandTest {
  private final TestWorld world = TestWorld.get();

  private String[] label(Path output, String seed, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("label", "--checkpoint", world.checkpoint(400).toString(),
        "--task-files", world.tasksDir().toString(), "--output", output.toString(), "--samples", "4",
        "--temperature", "0.8", "--max-new-tokens", "40", "--seed", seed));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static Set<String> lines(Path file) throws IOException {
    return new HashSet<>(Files.readAllLines(file));
  }

  @Test
  void labelsAreReproducibleAndAnInterruptedRunResumesWithoutRedoingPrompts() throws IOException {
    Path dir = world.scratch("label-resume");
    Path whole = dir.resolve("whole.jsonl");
    Cli.Run full = Cli.run(label(whole, "5")).expectSuccess();
    assertTrue(full.out().contains("192 prompts labelled now, 0 before; 192 of 192 done"), full.out());

    // Interrupted: two chunks of 16 prompts, then stop, as a crash between chunks would.
    Path resumed = dir.resolve("resumed.jsonl");
    Cli.Run first = Cli.run(label(resumed, "5", "--stop-after", "20")).expectSuccess();
    assertTrue(first.out().contains("32 prompts labelled now, 0 before; 32 of 192 done"), first.out());
    assertTrue(first.out().contains("stopped early"), first.out());
    assertEquals(1 + 32, Files.readAllLines(resumed).size(), "the header and one line per finished prompt");
    List<String> finishedBefore = Files.readAllLines(resumed);

    Cli.Run second = Cli.run(label(resumed, "5")).expectSuccess();
    assertTrue(second.out().contains("160 prompts labelled now, 32 before; 192 of 192 done"), second.out());
    List<String> after = Files.readAllLines(resumed);
    assertEquals(finishedBefore, after.subList(0, finishedBefore.size()), "finished prompts are kept, not redone");
    // Same seed, same labels, however the run was cut: the resumed file holds exactly the uninterrupted one's lines.
    assertEquals(lines(whole), lines(resumed));

    // A crash in the middle of a chunk, while a line was being written: 37 whole prompts, then half a line.
    Path crashed = dir.resolve("crashed.jsonl");
    List<String> wholeLines = Files.readAllLines(whole);
    String torn = wholeLines.get(38).substring(0, wholeLines.get(38).length() / 2);
    Files.writeString(crashed, String.join("\n", wholeLines.subList(0, 38)) + "\n" + torn);
    Cli.Run afterCrash = Cli.run(label(crashed, "5")).expectSuccess();
    assertTrue(afterCrash.out().contains("155 prompts labelled now, 37 before; 192 of 192 done"), afterCrash.out());
    List<String> crashedLines = Files.readAllLines(crashed);
    assertEquals(wholeLines.subList(0, 38), crashedLines.subList(0, 38), "the 37 finished prompts stay as they were");
    assertEquals(lines(whole), lines(crashed), "the torn line is dropped and its prompt labelled again, as before");
    assertEquals(wholeLines.size(), crashedLines.size(), "no prompt twice");

    Labels labels = LabelFile.read(whole);
    double[] passAt1 = world.tasks().names().stream().mapToDouble(t -> labels.outcomes(t).passAt1()).toArray();
    for (double p : passAt1) {
      assertTrue(p > 0.02 && p < 0.8, "a partly trained model passes some prompts and fails others: " + p);
    }
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("whole.summary.json").toFile());
    assertEquals(labels.outcomes("add").passAt1(), summary.path("actualPassAt1").path("add").path("passAt1").asDouble(), 1e-12);

    Path otherSeed = dir.resolve("seed6.jsonl");
    Cli.run(label(otherSeed, "6")).expectSuccess();
    assertNotEquals(lines(whole), lines(otherSeed), "another seed draws other samples");
  }

  @Test
  void continuingWithOtherSettingsIsRefused() throws IOException {
    Path file = world.scratch("label-mismatch").resolve("labels.jsonl");
    Cli.run(label(file, "5", "--stop-after", "1", "--tasks", "rev")).expectSuccess();
    Cli.Run again = Cli.run(label(file, "6", "--tasks", "rev"));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), again.exitCode());
    assertTrue(again.err().contains("holds labels of another run"), again.err());
  }

  @Test
  void badSamplingSettingsNameTheOption() throws IOException {
    Path file = world.scratch("label-bad-settings").resolve("labels.jsonl");
    Cli.Run run = Cli.run("label", "--checkpoint", world.checkpoint(400).toString(), "--task-files",
        world.tasksDir().toString(), "--output", file.toString(), "--max-new-tokens", "0");
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode());
    assertTrue(run.err().contains("--max-new-tokens must be at least 1, got 0"), run.err());
    run = Cli.run(label(file, "5", "--top-p", "1.5"));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode());
    assertTrue(run.err().contains("--top-p must be in (0, 1], got 1.5"), run.err());
  }

  @Test
  void aTaskFileWithABadLineIsNamed() throws IOException {
    Path dir = world.scratch("label-bad-task");
    Path tasks = Files.writeString(dir.resolve("sums.jsonl"),
        "{\"id\":\"s1\",\"prompt\":\"add 1+2=\",\"answer\":\"#### 3\",\"check\":\"number\"}\n"
            + "{\"id\":\"s2\",\"prompt\":\"add 2+2=\",\"answer\":\"#### 4\",\"check\":\"numeric\"}\n");
    Cli.Run run = Cli.run("label", "--checkpoint", world.checkpoint(400).toString(), "--task-files", tasks.toString(),
        "--output", dir.resolve("out.jsonl").toString());
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode());
    assertTrue(run.err().contains("task file " + tasks + ": line 2: unknown check 'numeric'"), run.err());
    assertTrue(Files.notExists(dir.resolve("out.jsonl")), "nothing is written for a bad task file");
  }

  @Test
  void promptsWithoutRoomForTheNewTokensAreRefusedBeforeGenerating() throws IOException {
    Path file = world.scratch("label-too-long").resolve("labels.jsonl");
    Cli.Run run = Cli.run("label", "--checkpoint", world.checkpoint(400).toString(), "--task-files",
        world.tasksDir().toString(), "--tasks", "add", "--output", file.toString(), "--max-new-tokens", "200");
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode());
    assertTrue(run.err().contains(" prompts do not fit the model's context of 128 tokens (max_position_embeddings in"
        + " config.json): task add, prompt '"), run.err());
    assertTrue(run.err().contains(" of prompt + up to 200 new tokens)"), run.err());
    assertTrue(Files.notExists(file), "nothing is written");
  }

}
