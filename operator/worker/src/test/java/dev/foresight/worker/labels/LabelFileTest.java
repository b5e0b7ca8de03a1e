package dev.foresight.worker.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.worker.WorkerException;
import dev.foresight.worker.scoring.Outcomes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelFileTest {
  private static final LabelHeader HEADER = new LabelHeader(LabelHeader.FORMAT, "sha256:ck", "/ck",
      new LabelSettings(2, 0.8, 1.0, 32, 7), Map.of("add", "sha256:a", "rev", "sha256:r"));
  @TempDir Path dir;

  @Test
  void writesReadsAndResumesAfterATornLine() throws IOException {
    Path file = dir.resolve("labels.jsonl");
    try (LabelFile f = LabelFile.open(file, HEADER)) {
      f.append(PromptLabel.of("add", "a1", List.of(true, false), List.of("#### 3", "#### 4")));
      f.append(PromptLabel.of("rev", "r1", List.of(true, true), List.of("cba", "cba")));
    }
    // A crash in the middle of the third line.
    Files.writeString(file, "{\"task\":\"add\",\"id\":\"a2\",\"pas", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    try (LabelFile f = LabelFile.open(file, new LabelHeader(1, "sha256:ck", "/elsewhere", HEADER.settings(), HEADER.tasks()))) {
      assertEquals(2, f.doneCount());
      assertTrue(f.isDone("add", "a1"));
      assertFalse(f.isDone("add", "a2"));
      f.append(PromptLabel.of("add", "a2", List.of(false, false), List.of("", "x")));
    }
    Labels labels = LabelFile.read(file);
    assertEquals(HEADER, labels.header());
    assertEquals(new Outcomes(new int[] {1, 0}, new int[] {2, 2}), labels.outcomes("add"));
    assertEquals(0.25, labels.outcomes("add").passAt1(), "(1/2 + 0/2) / 2");
    assertEquals(List.of("cba", "cba"), labels.find("rev", "r1").orElseThrow().outputs());
  }

  @Test
  void aTornHeaderStartsAfresh() throws IOException {
    Path file = dir.resolve("labels.jsonl");
    Files.writeString(file, "{\"format\":1,\"checkpoint\":\"sha2", StandardCharsets.UTF_8);
    try (LabelFile f = LabelFile.open(file, HEADER)) {
      assertEquals(0, f.doneCount());
      f.append(PromptLabel.of("add", "a1", List.of(true, false), List.of("#### 3", "#### 4")));
    }
    assertEquals(HEADER, LabelFile.read(file).header());
    assertEquals(2, Files.readAllLines(file).size());
  }

  @Test
  void refusesToMixRuns() throws IOException {
    Path file = dir.resolve("labels.jsonl");
    LabelFile.open(file, HEADER).close();
    LabelHeader otherSeed = new LabelHeader(1, "sha256:ck", "/ck", new LabelSettings(2, 0.8, 1.0, 32, 8), HEADER.tasks());
    WorkerException e = assertThrows(WorkerException.class, () -> LabelFile.open(file, otherSeed));
    assertTrue(e.getMessage().startsWith("label file " + file + " holds labels of another run"), e.getMessage());
    assertTrue(e.getMessage().endsWith("choose another output file or delete it"), e.getMessage());
  }

  @Test
  void badLineIsNamed() throws IOException {
    Path file = dir.resolve("labels.jsonl");
    LabelFile.open(file, HEADER).close();
    Files.writeString(file, "{\"task\":\"add\",\"id\":\"a\",\"passed\":3,\"samples\":2,\"outcomes\":[true,true],\"outputs\":[\"\",\"\"]}\n",
        StandardOpenOption.APPEND);
    WorkerException e = assertThrows(WorkerException.class, () -> LabelFile.read(file));
    assertTrue(e.getMessage().startsWith("label file " + file + ", line 2: "), e.getMessage());
    assertTrue(e.getMessage().contains("passed 3 does not count the outcomes"), e.getMessage());
  }
}
