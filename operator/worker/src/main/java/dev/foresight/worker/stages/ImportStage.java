package dev.foresight.worker.stages;

import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.labels.lmeval.StoredLogImport;
import dev.foresight.worker.labels.validation.ValidationImport;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code foresight training import --index C}: checkpoint C's labels from the lm-evaluation-harness
 * sample logs in {@code <lmEval.uri>/<step>/} (as {@code foresight label --import lm-eval} reads
 * them), or from the monitor's validated evaluation of the step
 * ({@code <validation.output>/step-<step>.json}), into {@code labels/step-<step>/labels.jsonl}, put
 * there whole; skipped when it is there.
 */
public final class ImportStage {
  private ImportStage() {}

  public static void run(Storage storage, StagePlan plan, int index, PrintWriter out) throws IOException {
    if (plan.generated()) {
      throw WorkerException.invalidArguments("the training generates its labels (spec.labels.generate): run the label"
          + " stage, not import");
    }
    List<LabelledCheckpoint> checkpoints = LabelledCheckpoints.read(storage, plan);
    LabelledCheckpoint checkpoint = LabelledCheckpoints.at(checkpoints, index, "--index " + index);
    String output = plan.labels(checkpoint.getStep());
    if (storage.exists(output, Purpose.OUTPUT)) {
      out.println("step " + checkpoint.getStep() + ": already imported: " + output);
      return;
    }
    TaskCatalog catalog = plan.tasks(storage);
    Path work = storage.workFile(output);
    try {
      Files.createDirectories(work.toAbsolutePath().getParent());
      Files.deleteIfExists(work);
      if (plan.fromMonitorValidation()) {
        ValidationImport.run(storage, catalog, checkpoint.getUri(), validationOutput(storage, plan, checkpoint.getStep()),
            plan.validationMinCoverage(), work, out);
      } else {
        StoredLogImport.run(storage, catalog, checkpoint.getUri(), List.of(plan.samplesLogs(checkpoint.getStep())),
            plan.importOptions(), StagePlan.defaultLabelSettings(), work, out);
      }
      storage.store(work, output);
    } catch (WorkerException e) {
      throw new WorkerException(e.exitCode(), "checkpoint " + checkpoint.getUri() + " (step " + checkpoint.getStep()
          + "): " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(work);
    }
    out.println("step " + checkpoint.getStep() + ": labels imported: " + output);
  }

  /** The step's validation output, which must be there (checkpoint not found, exit 3, if it is not). */
  private static String validationOutput(Storage storage, StagePlan plan, long step) {
    String uri = plan.validationOutput(step);
    if (!storage.exists(uri, Purpose.INPUT)) {
      throw WorkerException.checkpointNotFound("no validation output of step " + step + " at " + uri + ": was this step"
          + " validated? The monitor validates every k-th evaluation (spec.validation.every), and keeps the outputs"
          + " only with spec.validation.output set", null);
    }
    return uri;
  }
}
