package dev.foresight.worker.tasks;

import dev.foresight.worker.WorkerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The task sets a command works on, by name, in the order given (task files, or folders of them). */
public final class TaskCatalog {
  private final Map<String, TaskSet> byName;

  private TaskCatalog(Map<String, TaskSet> byName) { this.byName = byName; }

  public static TaskCatalog of(Collection<TaskSet> sets) {
    Map<String, TaskSet> byName = new LinkedHashMap<>();
    for (TaskSet s : sets) {
      if (byName.putIfAbsent(s.name(), s) != null) {
        throw WorkerException.invalidArguments("task '" + s.name() + "' is given twice");
      }
    }
    return new TaskCatalog(byName);
  }

  /**
   * Reads each path: a {@code .jsonl} file, or a folder whose {@code *.jsonl} files are read in name order.
   *
   * @throws TaskFileException for the first bad file; WorkerException for a path that does not exist
   */
  public static TaskCatalog read(List<Path> paths) {
    List<TaskSet> sets = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        List<Path> files = taskFilesIn(p);
        if (files.isEmpty()) {
          throw WorkerException.invalidArguments("task folder " + p + " has no *" + TaskSet.EXTENSION + " files");
        }
        files.forEach(f -> sets.add(TaskSet.read(f)));
      } else if (Files.isRegularFile(p)) {
        sets.add(TaskSet.read(p));
      } else {
        throw WorkerException.invalidArguments("task file " + p + " does not exist");
      }
    }
    return of(sets);
  }

  private static List<Path> taskFilesIn(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> f.getFileName().toString().endsWith(TaskSet.EXTENSION) && Files.isRegularFile(f))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** The named subset in the order asked, or every task when {@code names} is empty. */
  public TaskCatalog select(List<String> names) {
    if (names == null || names.isEmpty()) {
      return this;
    }
    Map<String, TaskSet> chosen = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (String n : names) {
      TaskSet s = byName.get(n);
      if (s == null) {
        unknown.add(n);
      } else {
        chosen.put(n, s);
      }
    }
    if (!unknown.isEmpty()) {
      throw WorkerException.invalidArguments("unknown task" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
          + " (available: " + String.join(", ", byName.keySet()) + ")");
    }
    return new TaskCatalog(chosen);
  }

  public List<TaskSet> sets() { return List.copyOf(byName.values()); }

  public List<String> names() { return List.copyOf(byName.keySet()); }

  public TaskSet get(String name) { return byName.get(name); }

  public int promptCount() { return byName.values().stream().mapToInt(TaskSet::size).sum(); }
}
