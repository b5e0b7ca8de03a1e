package dev.foresight.worker.labels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.worker.WorkerException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A label file (JSONL): a {@link LabelHeader} line, then one {@link PromptLabel} line per finished
 * prompt, written and flushed as each prompt finishes. That makes labelling resumable: after a
 * crash the file holds every finished prompt and at most one torn last line, which
 * {@link #open} drops before continuing.
 */
public final class LabelFile implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private final Set<String> done;
  private final BufferedWriter out;

  private LabelFile(Set<String> done, BufferedWriter out) {
    this.done = done;
    this.out = out;
  }

  static String key(String task, String id) { return task + "\u0000" + id; }

  /**
   * Creates {@code file} with {@code header}, or continues it when it already holds labels of
   * the same run (same checkpoint, settings and prompt sets).
   *
   * @throws WorkerException (invalid arguments) when the existing file belongs to another run or is corrupt
   */
  public static LabelFile open(Path file, LabelHeader header) throws IOException {
    Set<String> done = new HashSet<>();
    if (Files.exists(file) && Files.size(file) > 0) {
      dropTornLastLine(file);
    }
    // A crash while the header itself was written leaves nothing whole: start afresh.
    if (Files.exists(file) && Files.size(file) > 0) {
      Labels existing = read(file);
      if (!existing.header().sameRunAs(header)) {
        throw WorkerException.invalidArguments("label file " + file + " holds labels of another run ("
            + describe(existing.header()) + "; this run: " + describe(header)
            + "): choose another output file or delete it");
      }
      existing.byTask().forEach((task, labels) -> labels.forEach(l -> done.add(key(task, l.id()))));
      return new LabelFile(done, Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
    }
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    out.write(JSON.writeValueAsString(header));
    out.write('\n');
    out.flush();
    return new LabelFile(done, out);
  }

  private static String describe(LabelHeader h) {
    return "checkpoint " + h.checkpoint() + ", " + h.settings() + ", tasks " + h.tasks().keySet();
  }

  /** A crash mid-write leaves a line without its newline: cut it off so the file is whole lines again. */
  private static void dropTornLastLine(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--;
    }
    if (end < bytes.length) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(end);
      }
    }
  }

  /** Whether the prompt was labelled before this run started (resumed files only). */
  public boolean isDone(String task, String id) {
    return done.contains(key(task, id));
  }

  public int doneCount() { return done.size(); }

  /** Appends one prompt's label and flushes it, so a crash after this call keeps it. */
  public synchronized void append(PromptLabel label) {
    try {
      out.write(JSON.writeValueAsString(label));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to label file", e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /**
   * Reads a label file.
   *
   * @throws WorkerException (invalid arguments) naming the line that is not a label
   */
  public static Labels read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw WorkerException.invalidArguments("label file " + file + " cannot be read: " + e.getMessage());
    }
    if (lines.isEmpty()) {
      throw WorkerException.invalidArguments("label file " + file + " is empty");
    }
    LabelHeader header;
    try {
      header = JSON.readValue(lines.get(0), LabelHeader.class);
    } catch (JsonProcessingException e) {
      throw WorkerException.invalidArguments("label file " + file + ", line 1: not a label header: " + e.getOriginalMessage());
    }
    if (header.format() != LabelHeader.FORMAT) {
      throw WorkerException.invalidArguments("label file " + file + " has format " + header.format()
          + "; this worker reads format " + LabelHeader.FORMAT);
    }
    Map<String, List<PromptLabel>> byTask = new LinkedHashMap<>();
    header.tasks().keySet().stream().sorted().forEach(t -> byTask.put(t, new ArrayList<>()));
    Set<String> seen = new HashSet<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      PromptLabel label;
      try {
        label = JSON.readValue(lines.get(i), PromptLabel.class);
      } catch (JsonProcessingException e) {
        throw WorkerException.invalidArguments("label file " + file + ", line " + (i + 1) + ": " + e.getOriginalMessage());
      }
      List<PromptLabel> list = byTask.get(label.task());
      if (list == null) {
        throw WorkerException.invalidArguments("label file " + file + ", line " + (i + 1) + ": task '" + label.task()
            + "' is not in the header");
      }
      if (seen.add(key(label.task(), label.id()))) {
        list.add(label);
      }
    }
    return new Labels(header, byTask);
  }
}
