package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.labels.LabelFile;
import dev.foresight.worker.labels.LabelHeader;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.Labels;
import dev.foresight.worker.labels.PromptLabel;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import dev.foresight.worker.world.TestWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code foresight label --import lm-eval} on sample logs written as lm-evaluation-harness writes them. */
class LmEvalImportTest {
  private final TestWorld world = TestWorld.get();

  /** Two small tasks: sums (number check) and caps (exact check), three prompts each. */
  private Path smallTasks(Path dir) throws IOException {
    Path tasks = Files.createDirectories(dir.resolve("tasks"));
    Files.writeString(tasks.resolve("sums.jsonl"), """
        {"id":"s1","prompt":"add 1+2=","answer":"3","check":"number"}
        {"id":"s2","prompt":"add 2+2=","answer":"4","check":"number"}
        {"id":"s3","prompt":"add 3+4=","answer":"7","check":"number"}
        """);
    Files.writeString(tasks.resolve("caps.jsonl"), """
        {"id":"c1","prompt":"upper a:","answer":"A","check":"exact"}
        {"id":"c2","prompt":"upper b:","answer":"B","check":"exact"}
        {"id":"c3","prompt":"upper c:","answer":"C","check":"exact"}
        """);
    return tasks;
  }

  private String[] importArgs(Path tasks, Path logs, Path output, String... extra) {
    List<String> args = new ArrayList<>(List.of("label", "--checkpoint", world.checkpoint(400).toString(),
        "--task-files", tasks.toString(), "--output", output.toString(), "--temperature", "0.8",
        "--max-new-tokens", "40", "--seed", "1", "--import", "lm-eval", "--samples-log", logs.toString()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static List<String> four(String a, String b, String c, String d) {
    return List.of(a, b, c, d);
  }

  private String fingerprint(int step) throws IOException {
    try (Checkpoint c = Checkpoint.open(world.checkpoint(step))) {
      return c.fingerprint();
    }
  }

  private static PromptLabel label(String task, String id, int passed, List<String> outputs) {
    List<Boolean> outcomes = new ArrayList<>(Collections.nCopies(passed, true));
    outcomes.addAll(Collections.nCopies(outputs.size() - passed, false));
    return PromptLabel.of(task, id, outcomes, outputs);
  }

  /** The bytes {@code foresight label} writes for these labels: a LabelFile written directly. */
  private static byte[] labelFileBytes(Path file, LabelHeader header, List<PromptLabel> labels) throws IOException {
    try (LabelFile f = LabelFile.open(file, header)) {
      labels.forEach(f::append);
    }
    return Files.readAllBytes(file);
  }

  private static void assertRefused(Cli.Run run, String... parts) {
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode(), run.err());
    for (String part : parts) {
      assertTrue(run.err().contains(part), "expected '" + part + "' in:\n" + run.err());
    }
  }

  @Test
  void severalTasksWithRepeatsBecomeExactlyTheLabelFileLabelWrites() throws IOException {
    Path dir = world.scratch("lm-eval-exact");
    Path tasks = smallTasks(dir);
    Path logs = dir.resolve("lm-eval-out").resolve("pretrained__tiny");
    new LmEvalLogs()
        .doc(0, "  add 1+2=\n", four("3", "3", "4", "3"), "exact_match", 0.75) // whitespace at the ends aside
        .doc(1, "add 2+2=", four("4", "4", "4", "4"), "exact_match", 1.0)
        .doc(2, "add 3+4=", four("1", "2", "3", "4"), "exact_match", 0)
        .doc(9, "add 9+9=", four("18", "18", "18", "18"), "exact_match", 1.0) // no such prompt
        .write(logs, "sums");
    // Older logs: arguments as [[prompt, kwargs]], booleans as outcomes; doc 0 again in a second run.
    new LmEvalLogs()
        .line(0, "upper a:", List.of("A"), "exact_match", true, null, true)
        .line(1, "upper b:", List.of("b"), "exact_match", false, null, true)
        .line(2, "upper c:", List.of("C"), "exact_match", 1, null, true)
        .write(logs, "caps", "2026-11-30T08-00-00.000001");
    new LmEvalLogs().line(0, "upper a:", List.of("a"), "exact_match", 0.0, null, true).write(logs, "caps");
    new LmEvalLogs().doc(0, "other", List.of("x"), "exact_match", 1).write(logs, "other");

    Path output = dir.resolve("labels.jsonl");
    Cli.Run run = Cli.run(importArgs(tasks, dir.resolve("lm-eval-out"), output)).expectSuccess();
    assertTrue(run.out().contains("task sums: 3 of 3 prompts matched (100.0%); 1 of 4 logged documents matched no"
        + " prompt, e.g. doc_id 9 'add 9+9='"), run.out());
    assertTrue(run.out().contains("task caps: 3 of 3 prompts matched (100.0%)\n"), run.out());
    assertTrue(run.out().contains("task other is not among the tasks"), run.out());

    TaskCatalog catalog = TaskCatalog.read(List.of(tasks));
    LabelHeader header = LabelHeader.of(fingerprint(400), world.checkpoint(400).toString(),
        new LabelSettings(4, 0.8, 1.0, 40, 1), catalog);
    byte[] expected = labelFileBytes(dir.resolve("expected.jsonl"), header, List.of(
        label("caps", "c1", 1, List.of("A", "a")), // doc 0 of both runs, pooled
        label("caps", "c2", 0, List.of("b")),
        label("caps", "c3", 1, List.of("C")),
        label("sums", "s1", 3, four("3", "3", "4", "3")),
        label("sums", "s2", 4, four("4", "4", "4", "4")),
        label("sums", "s3", 0, four("1", "2", "3", "4"))));
    assertEquals(new String(expected), Files.readString(output));
    assertArrayEquals(expected, Files.readAllBytes(output), "byte for byte what a LabelFile of these outcomes holds");
    Labels labels = LabelFile.read(output);
    assertEquals((0.75 + 1 + 0) / 3, labels.outcomes("sums").passAt1(), 1e-12);
    assertEquals((0.5 + 0 + 1) / 3, labels.outcomes("caps").passAt1(), 1e-12);
    assertTrue(Files.readString(dir.resolve("labels.summary.json")).contains("\"caps\""), "the summary is written too");

    Cli.Run again = Cli.run(importArgs(tasks, dir.resolve("lm-eval-out"), output)).expectSuccess();
    assertTrue(again.out().contains("the label file already holds these labels"), again.out());
    assertArrayEquals(expected, Files.readAllBytes(output));
  }
}
