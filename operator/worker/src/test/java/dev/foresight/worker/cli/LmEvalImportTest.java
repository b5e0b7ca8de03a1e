package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
  private static final ObjectMapper JSON = new ObjectMapper();
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

    // Another JVM may write the header's task map in another order: the same labels still.
    List<String> lines = new ArrayList<>(Files.readAllLines(output));
    ObjectNode first = (ObjectNode) JSON.readTree(lines.get(0));
    ObjectNode reordered = JSON.createObjectNode();
    List<String> names = new ArrayList<>();
    first.get("tasks").fieldNames().forEachRemaining(names::add);
    Collections.reverse(names);
    names.forEach(n -> reordered.set(n, first.get("tasks").get(n)));
    first.set("tasks", reordered);
    lines.set(0, JSON.writeValueAsString(first));
    Files.write(output, lines);
    byte[] otherOrder = Files.readAllBytes(output);
    Cli.Run thirdTime = Cli.run(importArgs(tasks, dir.resolve("lm-eval-out"), output)).expectSuccess();
    assertTrue(thirdTime.out().contains("the label file already holds these labels"), thirdTime.out());
    assertArrayEquals(otherOrder, Files.readAllBytes(output), "left as it is");
  }

  @Test
  void docIdsMatchWhenThePromptsDifferWithAMetricPerTaskAndOneFilterChosen() throws IOException {
    Path dir = world.scratch("lm-eval-doc-id");
    Path tasks = Files.createDirectories(dir.resolve("tasks"));
    Files.writeString(tasks.resolve("qa.jsonl"), """
        {"id":"0","prompt":"Q0","answer":"A","check":"exact"}
        {"id":"1","prompt":"Q1","answer":"B","check":"exact"}
        {"id":"2","prompt":"Q2","answer":"C","check":"exact"}
        """);
    Path logs = dir.resolve("logs");
    LmEvalLogs log = new LmEvalLogs();
    for (String filter : List.of("strict-match", "flexible-extract")) {
      // A chat template wraps the prompt, so the text differs from the task file's; the doc ids do not.
      log.line(0, "<user>Q0</user>", List.of("A", "x"), "pass@1", 0.5, filter, false)
          .line(1, "<user>Q1</user>", List.of("B", "B"), "pass@1", filter.equals("strict-match") ? 1.0 : 0.5, filter, false)
          .line(2, "<user>Q2</user>", List.of("y", "z"), "pass@1", 0.0, filter, false);
    }
    log.write(logs, "qa");
    Path output = dir.resolve("labels.jsonl");

    assertRefused(Cli.run(importArgs(tasks, logs, output, "--match", "doc-id", "--metric", "qa=pass@1")),
        "task qa: the sample logs hold the outcomes of filters strict-match, flexible-extract: choose one with"
            + " --lm-eval-filter");
    assertRefused(Cli.run(importArgs(tasks, logs, output, "--metric", "qa=pass@1", "--lm-eval-filter", "strict-match")),
        "task qa: 0 of 3 prompts matched (0.0%); 3 of 3 logged documents matched no prompt, e.g. doc_id 0"
            + " '<user>Q0</user>', doc_id 1 '<user>Q1</user>', doc_id 2 '<user>Q2</user>'");
    assertRefused(Cli.run(importArgs(tasks, logs, output, "--match", "doc-id", "--lm-eval-filter", "strict-match")),
        logs.resolve("samples_qa_" + LmEvalLogs.STAMP + ".jsonl") + ", line 1: metric 'exact_match' is missing");
    assertRefused(Cli.run(importArgs(tasks, logs, output, "--match", "doc-id", "--metric", "qa=pass@1",
        "--lm-eval-filter", "strict")), "task qa: 0 of 3 prompts matched (0.0%); no logged documents; 6 lines of other"
            + " filters skipped");
    assertTrue(Files.notExists(output), "nothing is written by a refused import");

    Cli.Run run = Cli.run(importArgs(tasks, logs, output, "--match", "doc-id", "--metric", "qa=pass@1",
        "--lm-eval-filter", "strict-match")).expectSuccess();
    assertTrue(run.out().contains("task qa: 3 of 3 prompts matched (100.0%); 3 lines of other filters skipped"), run.out());
    Labels labels = LabelFile.read(output);
    assertEquals(List.of(1, 2, 0), labels.byTask().get("qa").stream().map(PromptLabel::passed).toList());
    assertEquals(List.of("0", "1", "2"), labels.byTask().get("qa").stream().map(PromptLabel::id).toList());
    assertEquals(List.of("A", "x"), labels.find("qa", "0").orElseThrow().outputs());
  }

  @Test
  void badLinesAreNamedByFileAndLineAndNothingIsWritten() throws IOException {
    Path dir = world.scratch("lm-eval-bad-lines");
    Path tasks = smallTasks(dir);
    Path logs = dir.resolve("logs");
    Path file = new LmEvalLogs()
        .doc(0, "add 1+2=", four("3", "3", "3", "3"), "exact_match", 1.0)
        .doc(1, "add 2+2=", four("4", "4", "4", "4"), "exact_match", null)
        .raw("{\"doc_id\": 2, \"arguments\": ")
        .doc(2, "add 3+4=", four("7", "7", "7", "7"), "exact_match", "yes")
        .doc(2, "add 3+4=", four("7", "7", "7", "7"), "exact_match", 0.3)
        .doc(2, "add 3+4=", four("7", "7", "7", "7"), "exact_match", 1.5)
        .raw("[1, 2]")
        .write(logs, "sums");
    new LmEvalLogs().doc(0, "upper a:", List.of("A"), "exact_match", 1).write(logs, "caps");
    Path output = dir.resolve("labels.jsonl");
    assertRefused(Cli.run(importArgs(tasks, logs, output)), "the sample logs cannot be imported:",
        file + ", line 2: metric 'exact_match' is missing (choose the field with --metric)",
        file + ", line 3: malformed JSON",
        file + ", line 4: metric 'exact_match' is not a number: \"yes\"",
        file + ", line 5: metric value 0.3 over 4 responses is not a whole number of passes",
        file + ", line 6: metric 'exact_match' is 1.5, outside [0, 1]: not a pass rate",
        file + ", line 7: expected a JSON object");
    assertTrue(Files.notExists(output), "nothing is written");
    assertTrue(Files.notExists(dir.resolve("labels.summary.json")));
  }

  @Test
  void tooFewMatchedPromptsFailWithTheCountsAndExamples() throws IOException {
    Path dir = world.scratch("lm-eval-coverage");
    Path tasks = smallTasks(dir);
    Path logs = dir.resolve("logs");
    new LmEvalLogs()
        .doc(0, "add 1+2=", four("3", "3", "3", "3"), "exact_match", 1.0)
        .doc(1, "add 2+2=", four("4", "5", "4", "5"), "exact_match", 0.5)
        .write(logs, "sums");
    new LmEvalLogs()
        .doc(0, "lower a:", List.of("a"), "exact_match", 1)
        .doc(1, "lower b:\nand more", List.of("b"), "exact_match", 1)
        .write(logs, "caps");
    Path output = dir.resolve("labels.jsonl");
    assertRefused(Cli.run(importArgs(tasks, logs, output)),
        "the sample logs match too few prompts (--min-coverage 0.90):",
        "task caps: 0 of 3 prompts matched (0.0%); 2 of 2 logged documents matched no prompt, e.g. doc_id 0"
            + " 'lower a:', doc_id 1 'lower b:\\nand more'",
        "task sums: 2 of 3 prompts matched (66.7%)");
    assertRefused(Cli.run(importArgs(tasks, logs, output, "--min-coverage", "0.5")),
        "task caps: 0 of 3 prompts matched (0.0%); 2 of 2 logged documents matched no prompt");
    Path sumsOnly = dir.resolve("sums-only");
    Files.createDirectories(sumsOnly);
    Files.copy(logs.resolve("samples_sums_" + LmEvalLogs.STAMP + ".jsonl"),
        sumsOnly.resolve("samples_sums_" + LmEvalLogs.STAMP + ".jsonl"));
    assertRefused(Cli.run(importArgs(tasks, sumsOnly, output, "--min-coverage", "0")),
        "task caps: 0 of 3 prompts matched (0.0%); no logged documents");
    assertTrue(Files.notExists(output), "nothing is written");

    Cli.Run run = Cli.run(importArgs(tasks, sumsOnly, output, "--min-coverage", "0.5", "--tasks", "sums"))
        .expectSuccess();
    assertTrue(run.out().contains("task sums: 2 of 3 prompts matched (66.7%)"), run.out());
    assertEquals(List.of("s1", "s2"), LabelFile.read(output).byTask().get("sums").stream().map(PromptLabel::id).toList());
    byte[] before = Files.readAllBytes(output);

    // The same output from other logs would lose the labels it holds: refused, and the file kept.
    new LmEvalLogs().doc(2, "add 3+4=", four("7", "7", "7", "7"), "exact_match", 1.0).write(sumsOnly, "sums",
        "2026-12-02T00-00-00.000000");
    assertRefused(Cli.run(importArgs(tasks, sumsOnly, output, "--min-coverage", "0.5", "--tasks", "sums")),
        "label file " + output + " exists and holds other labels");
    assertArrayEquals(before, Files.readAllBytes(output));
  }

  @Test
  void onlyRepeatsOfOneDocumentArePooled() throws IOException {
    Path dir = world.scratch("lm-eval-repeats");
    Path tasks = smallTasks(dir);
    Path logs = dir.resolve("logs");
    Path sums = new LmEvalLogs()
        .doc(0, "add 1+2=", four("3", "3", "3", "3"), "exact_match", 1.0)
        .doc(1, "add 2+2=", four("4", "4", "4", "4"), "exact_match", 1.0)
        .doc(2, "add 3+4=", four("7", "7", "7", "7"), "exact_match", 1.0)
        .doc(5, "add 1+2=", four("3", "3", "3", "3"), "exact_match", 1.0)
        .doc(1, "add 2+3=", four("5", "5", "5", "5"), "exact_match", 1.0)
        .write(logs, "sums");
    new LmEvalLogs().doc(0, "upper a:", List.of("A"), "exact_match", 1).write(logs, "caps");
    assertRefused(Cli.run(importArgs(tasks, logs, dir.resolve("labels.jsonl"), "--tasks", "sums")),
        sums + ", line 5: doc_id 1 was logged with another prompt at " + sums + ", line 2: only repeats of one"
            + " document are pooled",
        "task sums: prompt 's1' is matched by doc_id 0 and doc_id 5: only repeats of one document are pooled");
  }

  @Test
  void badOptionsAreNamed() throws IOException {
    Path dir = world.scratch("lm-eval-options");
    Path tasks = smallTasks(dir);
    Path output = dir.resolve("labels.jsonl");
    assertRefused(Cli.run(importArgs(tasks, dir.resolve("absent"), output)), "--samples-log: input not found: "
        + dir.resolve("absent"));
    Path notALog = Files.writeString(dir.resolve("results.jsonl"), "{}\n");
    assertRefused(Cli.run(importArgs(tasks, notALog, output)), "not an lm-evaluation-harness sample log (expected a name"
        + " samples_<task>_<timestamp>.jsonl)");
    assertRefused(Cli.run(importArgs(tasks, tasks, output)), "holds no lm-evaluation-harness sample logs");
    Path logs = new LmEvalLogs().doc(0, "add 1+2=", four("3", "3", "3", "3"), "exact_match", 1.0)
        .write(dir.resolve("logs"), "sums").getParent();
    assertRefused(Cli.run(importArgs(tasks, logs, output, "--match", "text")), "--match must be one of prompt, doc-id");
    assertRefused(Cli.run(importArgs(tasks, logs, output, "--min-coverage", "1.5")), "--min-coverage must be in [0, 1]");
    assertRefused(Cli.run(importArgs(tasks, logs, output, "--metric", "acc,pass@1")),
        "--metric names two metrics for every task: acc and pass@1");
    String[] wrongSource = importArgs(tasks, logs, output);
    wrongSource[Arrays.asList(wrongSource).indexOf("lm-eval")] = "helm";
    assertRefused(Cli.run(wrongSource), "--import must be lm-eval, got 'helm'");
    assertTrue(Files.notExists(output));
  }

  /**
   * The world's generated labels of the two labelled checkpoints, logged as lm-eval would have
   * logged the same outcomes, imported back: the same file bytes (outcomes listed passes first),
   * and a probe trained on them is the one trained on the generated labels.
   */
  @Test
  void importedLabelsTrainTheSameProbeAsGeneratedOnes() throws IOException {
    Path dir = world.scratch("lm-eval-train");
    String[] trainArgs = world.trainArgs("linear", Pooling.LAST, dir.resolve("bundle-imported"));
    for (int step : TestWorld.LABELLED) {
      Labels generated = LabelFile.read(world.labels(step));
      Path logs = dir.resolve("logs-" + step);
      List<PromptLabel> sorted = new ArrayList<>();
      for (TaskSet set : world.tasks().sets()) {
        LmEvalLogs log = new LmEvalLogs();
        for (int docId = 0; docId < set.size(); docId++) {
          TaskPrompt p = set.prompts().get(docId);
          PromptLabel l = generated.find(set.name(), p.id()).orElseThrow();
          log.doc(docId, p.prompt(), l.outputs(), "exact_match", l.passRate());
          sorted.add(label(set.name(), p.id(), l.passed(), l.outputs()));
        }
        log.write(logs, set.name());
      }
      Path imported = dir.resolve("imported-" + step + ".jsonl");
      List<String> args = new ArrayList<>(Arrays.asList(ProbesBenchmark.labelArgs(TestWorld.RECIPE,
          world.checkpoint(step), world.tasksDir().toString(), imported)));
      args.addAll(List.of("--import", "lm-eval", "--samples-log", logs.toString(), "--min-coverage", "1"));
      Cli.run(args.toArray(String[]::new)).expectSuccess();
      assertArrayEquals(labelFileBytes(dir.resolve("expected-" + step + ".jsonl"), generated.header(), sorted),
          Files.readAllBytes(imported));
      for (int i = 0; i < trainArgs.length; i++) {
        if (trainArgs[i].equals(world.labels(step).toString())) {
          trainArgs[i] = imported.toString();
        }
      }
    }
    Cli.Run trained = Cli.run(trainArgs).expectSuccess();
    assertTrue(Files.isDirectory(dir.resolve("bundle-imported")));
    String fromGenerated = world.trainingOutput("linear");
    assertEquals(fromGenerated.substring(0, fromGenerated.indexOf("bundle: ")),
        trained.out().substring(0, trained.out().indexOf("bundle: ")), "the same epochs and held-out metrics");
  }
}
