package dev.foresight.worker.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.WorkerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskSetTest {
  @TempDir Path dir;

  private Path file(String name, String... lines) throws IOException {
    return Files.write(dir.resolve(name), List.of(lines));
  }

  @Test
  void readsEveryFieldAndNamesTheTaskAfterTheFile() throws IOException {
    TaskSet s = TaskSet.read(file("add-2.jsonl",
        "{\"id\":\"a\",\"prompt\":\"12+39=\",\"answer\":\"#### 51\",\"check\":\"number\",\"stop\":[\"\\n\"],\"source\":\"x\"}",
        "",
        "{\"id\":\"b\",\"prompt\":\"f(x)?\",\"answer\":\"def f(x):\",\"check\":\"regex\",\"pattern\":\"def f\\\\(\"}"));
    assertEquals("add-2", s.name());
    assertEquals(2, s.size());
    TaskPrompt a = s.prompts().get(0);
    assertEquals(new TaskPrompt("a", "12+39=", "#### 51", CheckKind.NUMBER, null, List.of("\n")), a);
    assertEquals("def f\\(", s.prompts().get(1).pattern());
    assertEquals("51", a.cutAtStop("51\n13+1="));
  }

  @Test
  void sumAndSortedChecksAreReadAndTheirGoldAnswersValidated() throws IOException {
    TaskSet s = TaskSet.read(file("many.jsonl",
        "{\"id\":\"a\",\"prompt\":\"sum 47=\",\"answer\":\"12+35\",\"check\":\"sum\"}",
        "{\"id\":\"b\",\"prompt\":\"sort 3b 1a=\",\"answer\":\"1a 3b\",\"check\":\"sorted\"}"));
    assertEquals(List.of(CheckKind.SUM, CheckKind.SORTED), s.prompts().stream().map(TaskPrompt::checkKind).toList());
    assertTrue(s.prompts().get(0).check().passes("40+7"));
    Path f = file("bad.jsonl",
        "{\"id\":\"a\",\"prompt\":\"sum 47=\",\"answer\":\"47\",\"check\":\"sum\"}",
        "{\"id\":\"b\",\"prompt\":\"sort 3b 1a=\",\"answer\":\"3b 1a\",\"check\":\"sorted\"}");
    TaskFileException e = assertThrows(TaskFileException.class, () -> TaskSet.read(f));
    assertEquals(List.of(
        "line 1: answer '47' is not a sum a+b of two positive whole numbers without leading zeros (check 'sum')",
        "line 2: answer '3b 1a' is not sorted: its items' leading numbers decrease (check 'sorted')"), e.problems());
  }

  @Test
  void everyBadLineIsNamedWithFileAndLine() throws IOException {
    Path f = file("bad.jsonl",
        "{\"id\":\"a\",\"prompt\":\"p\",\"answer\":\"1\",\"check\":\"number\"}",
        "{\"id\":\"a\",\"prompt\":\"q\",\"answer\":\"2\",\"check\":\"number\"}",
        "{\"id\":\"c\",\"prompt\":\"  \",\"answer\":\"2\",\"check\":\"number\"}",
        "{\"id\":\"d\",\"prompt\":\"p\",\"answer\":\"2\",\"check\":\"fuzzy\"}",
        "{\"id\":\"e\",\"prompt\":\"p\",\"answer\":\"2\",\"check\":\"regex\",\"pattern\":\"(unclosed\"}",
        "{\"id\":\"f\",\"prompt\":\"p\",\"answer\":\"two\",\"check\":\"number\"}",
        "{\"id\": \"g\", oops}",
        "[1,2]",
        "{\"id\":\"h\",\"prompt\":\"p\",\"check\":\"exact\"}");
    TaskFileException e = assertThrows(TaskFileException.class, () -> TaskSet.read(f));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS, e.exitCode());
    List<String> p = e.problems();
    assertEquals(8, p.size(), p.toString());
    assertEquals("line 2: duplicate id 'a' (first on line 1)", p.get(0));
    assertEquals("line 3: 'prompt' is empty", p.get(1));
    assertTrue(p.get(2).startsWith("line 4: unknown check 'fuzzy' (expected one of exact, number, choice, regex, sum, sorted)"), p.get(2));
    assertTrue(p.get(3).startsWith("line 5: bad regex in 'pattern'"), p.get(3));
    assertTrue(p.get(4).startsWith("line 6: answer 'two' has no number"), p.get(4));
    assertTrue(p.get(5).startsWith("line 7: malformed JSON"), p.get(5));
    assertEquals("line 8: expected a JSON object", p.get(6));
    assertEquals("line 9: 'answer' is missing", p.get(7));
    assertTrue(e.getMessage().startsWith("task file " + f + ": line 2: duplicate id"), e.getMessage());
  }

  /** A task line whose prompt pads it to exactly {@code bytes} bytes. */
  private static String lineOfBytes(String id, long bytes) {
    String head = "{\"id\":\"" + id + "\",\"answer\":\"1\",\"check\":\"number\",\"prompt\":\"";
    return head + "x".repeat((int) (bytes - head.length() - 2)) + "\"}";
  }

  @Test
  void aLineOverTheLimitIsRefusedByNumberAndTheLinesAfterItStillCount() throws IOException {
    Path f = file("long.jsonl",
        lineOfBytes("fits", TaskSet.MAX_LINE_BYTES),
        lineOfBytes("huge", 10 * TaskSet.MAX_LINE_BYTES),
        "",
        "{\"id\":\"after\",\"prompt\":\"p\",\"answer\":\"two\",\"check\":\"number\"}");
    TaskFileException e = assertThrows(TaskFileException.class, () -> TaskSet.read(f));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS, e.exitCode());
    assertEquals(List.of("line 2: " + 10 * TaskSet.MAX_LINE_BYTES + " bytes long, over the limit of "
        + TaskSet.MAX_LINE_BYTES + " bytes per line", "line 4: answer 'two' has no number to compare with (check 'number')"), e.problems());
    assertTrue(e.getMessage().startsWith("task file " + f + ": line 2: "), e.getMessage());
  }

  @Test
  void aLineOfExactlyTheLimitIsRead() throws IOException {
    TaskSet s = TaskSet.read(file("edge.jsonl", lineOfBytes("fits", TaskSet.MAX_LINE_BYTES)));
    assertEquals(1, s.size());
  }

  @Test
  void everyLineEndingCountsAsOneLine() throws IOException {
    String good = "{\"id\":\"%s\",\"prompt\":\"p\",\"answer\":\"1\",\"check\":\"number\"}";
    String bad = "{\"id\":\"%s\",\"prompt\":\"p\",\"answer\":\"x\",\"check\":\"number\"}";
    Path f = dir.resolve("endings.jsonl");
    Files.writeString(f, String.format(good, "a") + "\r\n" + String.format(good, "b") + "\r"
        + String.format(good, "c") + "\n\r\n" + String.format(bad, "d"));
    TaskFileException e = assertThrows(TaskFileException.class, () -> TaskSet.read(f));
    assertEquals(1, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).startsWith("line 5: answer 'x'"), e.problems().toString());
  }

  @Test
  void bytesThatAreNotUtf8AreRefusedByLine() throws IOException {
    Path f = dir.resolve("latin1.jsonl");
    byte[] good = "{\"id\":\"a\",\"prompt\":\"p\",\"answer\":\"1\",\"check\":\"number\"}\n"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] bad = {'{', '"', 'i', (byte) 0xe9, '"', '}', '\n'};
    Files.write(f, good);
    Files.write(f, bad, java.nio.file.StandardOpenOption.APPEND);
    TaskFileException e = assertThrows(TaskFileException.class, () -> TaskSet.read(f));
    assertEquals(List.of("line 2: not valid UTF-8"), e.problems());
  }

  @Test
  void emptyFileAndBadNamesAreRefused() throws IOException {
    assertThrows(TaskFileException.class, () -> TaskSet.read(file("empty.jsonl", "", " ")));
    TaskFileException e = assertThrows(TaskFileException.class, () -> TaskSet.read(file("Bad Name.jsonl",
        "{\"id\":\"a\",\"prompt\":\"p\",\"answer\":\"1\",\"check\":\"number\"}")));
    assertTrue(e.getMessage().contains("not a valid task name"), e.getMessage());
  }

  @Test
  void writeThenReadGivesTheSameSetAndHash() {
    TaskSet s = new TaskSet("mix", List.of(
        new TaskPrompt("1", "a\"b\n", "#### 3", CheckKind.NUMBER, null, List.of("\n", "Q:")),
        new TaskPrompt("2", "pick", "B", CheckKind.CHOICE, null, List.of()),
        new TaskPrompt("3", "code", "def g", CheckKind.REGEX, "def \\w+", List.of())));
    TaskSet back = TaskSet.read(s.write(dir));
    assertEquals(s, back);
    assertEquals(s.promptSetHash(), back.promptSetHash());
  }

  @Test
  void hashIgnoresOrderButNotContent() {
    List<TaskPrompt> prompts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      prompts.add(new TaskPrompt("p" + i, i + "+1=", "#### " + (i + 1), CheckKind.NUMBER, null, List.of()));
    }
    String hash = new TaskSet("t", prompts).promptSetHash();
    assertTrue(hash.matches("sha256:[0-9a-f]{64}"), hash);
    List<TaskPrompt> reversed = new ArrayList<>(prompts);
    Collections.reverse(reversed);
    assertEquals(hash, new TaskSet("t", reversed).promptSetHash());
    List<TaskPrompt> changed = new ArrayList<>(prompts);
    changed.set(2, new TaskPrompt("p2", "2+1=", "#### 4", CheckKind.NUMBER, null, List.of()));
    assertNotEquals(hash, new TaskSet("t", changed).promptSetHash());
  }

  @Test
  void catalogReadsFoldersAndSelectsByName() throws IOException {
    file("b.jsonl", "{\"id\":\"x\",\"prompt\":\"p\",\"answer\":\"1\",\"check\":\"number\"}");
    file("a.jsonl", "{\"id\":\"x\",\"prompt\":\"p\",\"answer\":\"A\",\"check\":\"choice\"}");
    TaskCatalog c = TaskCatalog.read(List.of(dir));
    assertEquals(List.of("a", "b"), c.names());
    assertEquals(List.of("b"), c.select(List.of("b")).names());
    WorkerException e = assertThrows(WorkerException.class, () -> c.select(List.of("b", "gsm8k")));
    assertEquals("unknown task gsm8k (available: a, b)", e.getMessage());
    assertThrows(WorkerException.class, () -> TaskCatalog.read(List.of(dir, dir.resolve("a.jsonl"))));
    assertThrows(WorkerException.class, () -> TaskCatalog.read(List.of(dir.resolve("missing.jsonl"))));
  }
}
