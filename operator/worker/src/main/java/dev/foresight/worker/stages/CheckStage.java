package dev.foresight.worker.stages;

import dev.foresight.api.training.CheckReport;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.bundle.BundleException;
import dev.foresight.worker.bundle.ModelSignature;
import dev.foresight.worker.bundle.ProbeIncompatibleException;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * {@code foresight training check}: before any GPU pod runs, the labelled checkpoints must all be
 * of one model (architecture, hidden size, layer count, tokenizer: a probe reads one model's
 * hidden states), the task files must read, and the output must not hold another bundle unless
 * the spec says overwrite. Reads config.json and tokenizer.json of each checkpoint, never weights.
 */
public final class CheckStage {
  private CheckStage() {}

  public static CheckReport run(Storage storage, StagePlan plan, PrintWriter out) throws IOException {
    List<LabelledCheckpoint> checkpoints = LabelledCheckpoints.resolve(storage, plan, out);
    Map<Long, String> byStep = new HashMap<>();
    for (LabelledCheckpoint c : checkpoints) {
      String other = byStep.putIfAbsent(c.getStep(), c.getUri());
      if (other != null) {
        // The work folder names a checkpoint's files by its step.
        throw WorkerException.invalidArguments("spec.checkpoints.list: " + other + " and " + c.getUri()
            + " both have step " + c.getStep() + "; give each checkpoint its own step");
      }
    }
    ModelSignature first = null;
    LabelledCheckpoint firstCheckpoint = null;
    for (LabelledCheckpoint c : checkpoints) {
      ModelSignature s = CheckpointHeaders.read(storage, c.getUri());
      if (first == null) {
        first = s;
        firstCheckpoint = c;
      } else if (!s.equals(first)) {
        throw WorkerException.invalidArguments("the labelled checkpoints are not all of one model: "
            + describe(firstCheckpoint, first) + ", but " + describe(c, s)
            + ": a probe is trained on one model's hidden states");
      }
    }
    // The settings later stages read, checked now so that a bad one is InvalidSpec before any GPU pod runs.
    int layers = first.layers();
    plan.families().forEach(f -> plan.featureSpec(f, layers));
    if (plan.generated()) {
      plan.labelSettings();
    } else if (!plan.fromMonitorValidation()) {
      plan.importOptions();
    }
    plan.heldOutCheckpoints(checkpoints.size());
    TaskCatalog tasks = plan.tasks(storage);
    String bundle = bundleState(storage, plan, out);
    List<LabelledCheckpoint> ordered = LabelledCheckpoints.byStep(checkpoints);
    long firstStep = ordered.get(0).getStep();
    long lastStep = ordered.get(ordered.size() - 1).getStep();
    out.printf(Locale.ROOT, "%d checkpoints (steps %d..%d) of %s; %d prompts in %d tasks; output bundle: %s%n",
        checkpoints.size(), firstStep, lastStep, first.architecture(), tasks.promptCount(), tasks.names().size(), bundle);
    return new CheckReport(CheckReport.CURRENT_VERSION, checkpoints.size(), firstStep, lastStep, tasks.promptCount(),
        tasks.names(), first.architecture(), first.tokenizerHash(), bundle);
  }

  private static String describe(LabelledCheckpoint c, ModelSignature s) {
    return String.format(Locale.ROOT, "%s (step %d) is %s with hidden size %d, %d layers and tokenizer %s", c.getUri(),
        c.getStep(), s.architecture(), s.hiddenSize(), s.layers(), s.tokenizerHash());
  }

  /**
   * "absent"; "same" when the output holds a bundle this plan trained (the same files as one of the
   * work folder's family bundles); else "replace" when the spec allows it, or invalid arguments.
   */
  static String bundleState(Storage storage, StagePlan plan, PrintWriter out) {
    String output = plan.output();
    if (!StoredBundle.exists(storage, output)) {
      return CheckReport.BUNDLE_ABSENT;
    }
    String fingerprint = fingerprintOrNull(storage, output);
    if (fingerprint != null) {
      for (ProbeFamily f : plan.families()) {
        String mine = plan.probe(f);
        if (StoredBundle.exists(storage, mine) && fingerprint.equals(fingerprintOrNull(storage, mine))) {
          out.println("the output already holds this training's " + f + " bundle: " + output);
          return CheckReport.BUNDLE_SAME;
        }
      }
    }
    if (plan.plan().output().overwrites()) {
      out.println("the output holds another bundle, which this training replaces (spec.output.overwrite): " + output);
      return CheckReport.BUNDLE_REPLACE;
    }
    throw WorkerException.invalidArguments("spec.output.uri " + output + " holds another bundle ("
        + (fingerprint == null ? "unreadable" : fingerprint) + ", not trained by this training); set"
        + " spec.output.overwrite: true to replace it, or choose another uri");
  }

  /** A damaged bundle is "another bundle", not an error of its own. */
  private static String fingerprintOrNull(Storage storage, String folder) {
    try {
      ProbeBundle b = StoredBundle.read(storage, folder);
      return b.fingerprint();
    } catch (BundleException | ProbeIncompatibleException e) {
      return null;
    }
  }
}
