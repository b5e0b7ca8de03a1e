package dev.foresight.worker.cli;

import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --task-files} and {@code --tasks}: which prompt sets a command works on. */
final class TaskOptions {

  @Option(names = "--task-files", required = true, split = ",", paramLabel = "PATH",
      description = "task files (<task>.jsonl) or folders of them; local paths, file://, pvc:// or s3://")
  List<String> taskFiles;

  @Option(names = "--tasks", split = ",", paramLabel = "TASK",
      description = "only these tasks, by name (default: every task given)")
  List<String> tasks = List.of();

  TaskCatalog read(Storage storage) {
    List<Path> paths = new ArrayList<>();
    for (String location : taskFiles) {
      paths.add(storage.fetch(location, Purpose.INPUT));
    }
    return TaskCatalog.read(paths).select(tasks);
  }
}
