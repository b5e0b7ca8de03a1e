package dev.foresight.worker.stages;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.api.scan.ReadyCheckpoint;
import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.api.v1alpha1.StepRange;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.scan.CheckpointScan;
import dev.foresight.worker.scan.ReadinessRule;
import dev.foresight.worker.scan.StepPattern;
import dev.foresight.worker.scan.StepWindow;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The checkpoints a training labels, in the order the completion indices count them: the spec's
 * list as written, or the ready checkpoints under a monitor's prefix in the step range, oldest
 * first. A prefix is listed once, by the check stage, into {@code checkpoints.json}, which every
 * later stage (and a rerun of the check) reads: a checkpoint written after the training started
 * does not shift the indices under running pods. With labels from the monitor's validation runs,
 * the list keeps only the validated steps: those with an output under the monitor's
 * {@code validation.output}.
 */
public final class LabelledCheckpoints {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LabelledCheckpoints() {}

  /** The check stage's view: lists the prefix (and records the list) when the plan names one and no list exists yet. */
  public static List<LabelledCheckpoint> resolve(Storage storage, StagePlan plan, PrintWriter out) throws IOException {
    if (plan.plan().checkpoints() != null) {
      return plan.plan().checkpoints();
    }
    if (storage.exists(plan.checkpointsFile(), Purpose.INPUT)) {
      out.println("checkpoints: the list made by an earlier check, " + plan.checkpointsFile());
      return read(storage, plan);
    }
    List<LabelledCheckpoint> listed = scan(storage, plan.plan().prefix(), plan.plan().steps());
    if (plan.fromMonitorValidation()) {
      listed = validated(storage, plan, listed, out);
    }
    Path work = storage.workFile(plan.checkpointsFile());
    try {
      Files.createDirectories(work.toAbsolutePath().getParent());
      JSON.writeValue(work.toFile(), listed);
      storage.store(work, plan.checkpointsFile());
    } finally {
      Files.deleteIfExists(work);
    }
    out.println("checkpoints: " + listed.size() + " ready under " + plan.plan().prefix().getUri() + " → "
        + plan.checkpointsFile());
    return listed;
  }

  /**
   * The checkpoints the monitor validated (their output is there); fewer than two leave nothing to
   * train and hold out on, which is invalid arguments saying how many were found and why.
   */
  private static List<LabelledCheckpoint> validated(Storage storage, StagePlan plan, List<LabelledCheckpoint> ready,
      PrintWriter out) {
    List<LabelledCheckpoint> validated = ready.stream()
        .filter(c -> storage.exists(plan.validationOutput(c.getStep()), Purpose.INPUT)).toList();
    out.println("checkpoints: " + validated.size() + " of the " + ready.size() + " ready ones have a validation output"
        + " under " + plan.plan().validationOutput());
    if (validated.size() < 2) {
      throw WorkerException.invalidArguments("spec.labels.monitorValidation: only " + validated.size() + " of the "
          + ready.size() + " ready checkpoints in the step range (steps " + ready.get(0).getStep() + ".."
          + ready.get(ready.size() - 1).getStep() + ") have a validation output under " + plan.plan().validationOutput()
          + " (step-<step>.json); a training needs at least 2. The monitor validates every k-th evaluation"
          + " (spec.validation.every): widen spec.checkpoints.monitor.steps or wait for more validated steps");
    }
    return validated;
  }

  /** Every later stage's view: the plan's list, or the one the check stage recorded. */
  public static List<LabelledCheckpoint> read(Storage storage, StagePlan plan) {
    if (plan.plan().checkpoints() != null) {
      return plan.plan().checkpoints();
    }
    if (!storage.exists(plan.checkpointsFile(), Purpose.INPUT)) {
      throw WorkerException.invalidArguments(plan.checkpointsFile() + " is missing: the check stage lists the monitor's"
          + " checkpoints into it; run it first");
    }
    try {
      return JSON.readValue(storage.fetch(plan.checkpointsFile(), Purpose.INPUT).toFile(),
          new TypeReference<List<LabelledCheckpoint>>() { });
    } catch (IOException e) {
      throw WorkerException.invalidArguments(plan.checkpointsFile() + " is not a checkpoint list: " + e.getMessage());
    }
  }

  /** The checkpoint of completion-index part {@code index}, or invalid arguments naming the index and the count. */
  public static LabelledCheckpoint at(List<LabelledCheckpoint> checkpoints, int index, String what) {
    if (index < 0 || index >= checkpoints.size()) {
      throw WorkerException.invalidArguments(what + " is for checkpoint #" + index + ", but the training labels "
          + checkpoints.size() + " checkpoint(s)");
    }
    return checkpoints.get(index);
  }

  /** Oldest first. */
  public static List<LabelledCheckpoint> byStep(List<LabelledCheckpoint> checkpoints) {
    return checkpoints.stream().sorted(Comparator.comparingLong(LabelledCheckpoint::getStep)).toList();
  }

  private static List<LabelledCheckpoint> scan(Storage storage, CheckpointPrefix prefix, StepRange steps)
      throws IOException {
    var ready = prefix.getReady();
    CheckpointScan.Result result;
    try {
      result = new CheckpointScan(storage.listing(prefix.getUri(), Purpose.CHECKPOINT_PREFIX),
          StepPattern.of(prefix.getStepPattern()),
          ReadinessRule.of(ready == null ? null : ready.getMarker(), ready == null ? null : ready.getSettleSeconds(),
              Clock.systemUTC()),
          new StepWindow(null, null, steps == null ? null : steps.getFrom(), steps == null ? null : steps.getTo()),
          CheckpointScan.PARALLEL_CHECKS).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while listing " + prefix.getUri(), e);
    }
    String base = prefix.getUri().endsWith("/") ? prefix.getUri() : prefix.getUri() + "/";
    List<LabelledCheckpoint> listed = new ArrayList<>();
    for (ReadyCheckpoint r : result.report().getReady()) {
      listed.add(new LabelledCheckpoint(base + r.getPath(), r.getStep()));
    }
    if (listed.isEmpty()) {
      throw WorkerException.checkpointNotFound("no ready checkpoint under " + prefix.getUri() + " in steps "
          + (steps == null ? "(any)" : steps.getFrom() + ".." + steps.getTo()) + " (" + result.folders()
          + " folders listed)", null);
    }
    return byStep(listed);
  }
}
