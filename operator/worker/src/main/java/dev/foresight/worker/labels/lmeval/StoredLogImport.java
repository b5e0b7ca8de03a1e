package dev.foresight.worker.labels.lmeval;

import dev.foresight.worker.WorkerException;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.labels.LabelFile;
import dev.foresight.worker.labels.LabelHeader;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.LabelSummary;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An lm-eval import from sample logs wherever they are stored ({@code label --import lm-eval}, and
 * a ProbeTraining's import stage): fetches the logs, matches them to the task set, opens the
 * checkpoint for its fingerprint only (so {@code train} pairs the labels with that checkpoint's
 * features; no weight is loaded) and writes the label file.
 */
public final class StoredLogImport {
  private StoredLogImport() {}

  /**
   * Imports {@code samplesLogs} (files or folders of them) into {@code output} and prints per task what matched.
   *
   * @return the summary to write beside the label file
   */
  public static LabelSummary run(Storage storage, TaskCatalog catalog, String checkpoint, List<String> samplesLogs,
      LmEvalImport.Options options, LabelSettings given, Path output, PrintWriter out) throws IOException {
    List<SampleLog> logs = new ArrayList<>();
    for (String location : samplesLogs) {
      Path local;
      try {
        local = storage.fetch(location, Purpose.INPUT);
      } catch (WorkerException e) {
        throw new WorkerException(e.exitCode(), "--samples-log: " + e.getMessage(), e);
      }
      logs.addAll(SampleLog.find(local));
    }
    LmEvalImport.Result result = LmEvalImport.read(catalog, logs, options);
    String fingerprint;
    try (Checkpoint c = Checkpoint.open(storage.fetch(checkpoint, Purpose.CHECKPOINT))) {
      fingerprint = c.fingerprint();
    }
    LabelHeader header = LmEvalImport.header(result, fingerprint, checkpoint, given, catalog);
    LmEvalImport.Written written = LmEvalImport.write(result, header, output);
    result.skipped().forEach(l -> out.println("skipped " + l.file() + ": task " + l.task() + " is not among the tasks"));
    result.tasks().forEach(t -> out.println("task " + t.task() + ": " + t.describe()));
    out.println(written == LmEvalImport.Written.UNCHANGED ? "the label file already holds these labels" : "imported");
    return LabelSummary.of(LabelFile.read(output), catalog, null);
  }
}
