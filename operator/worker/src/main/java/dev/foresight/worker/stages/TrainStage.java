package dev.foresight.worker.stages;

import ai.djl.ndarray.NDManager;
import dev.foresight.api.training.CheckReport;
import dev.foresight.api.training.TrainingReport;
import dev.foresight.api.v1alpha1.FamilyMetrics;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.bundle.BundleException;
import dev.foresight.worker.bundle.BundleTrainer;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.bundle.ProbeManifest;
import dev.foresight.worker.evaluation.LoadedCheckpoint;
import dev.foresight.worker.features.FeatureFile;
import dev.foresight.worker.labels.LabelFile;
import dev.foresight.worker.labels.Labels;
import dev.foresight.worker.probe.ProbeDataset;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.probe.ProbeHead;
import dev.foresight.worker.probe.ProbeHeads;
import dev.foresight.worker.probe.ProbeTrainer;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.scoring.ProbeMetrics;
import dev.foresight.worker.storage.LocalTree;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code foresight training train}: trains every family on the labelled checkpoints but the newest
 * {@code heldOutCheckpoints} (as {@code foresight train}, into {@code probes/<family>/}; a family
 * whose bundle there was trained on the same checkpoints is kept), scores each on the held-out
 * checkpoints, picks the family by the unseen newest checkpoint ({@link ProbeManifest#best}, as {@code foresight demo} does) and publishes
 * that bundle at the output, manifest last.
 */
public final class TrainStage {
  private TrainStage() {}

  public static TrainingReport run(Storage storage, StagePlan plan, StageRuntime runtime, PrintWriter out)
      throws IOException {
    List<LabelledCheckpoint> all = LabelledCheckpoints.byStep(LabelledCheckpoints.read(storage, plan));
    int held = plan.heldOutCheckpoints(all.size());
    List<LabelledCheckpoint> training = all.subList(0, all.size() - held);
    List<LabelledCheckpoint> heldOut = all.subList(all.size() - held, all.size());
    TaskCatalog catalog = plan.tasks(storage);
    Map<Long, Labels> labels = new LinkedHashMap<>();
    for (LabelledCheckpoint c : all) {
      labels.put(c.getStep(), LabelFile.read(input(storage, plan.labels(c.getStep()), c, "labels")));
    }
    List<String> fingerprints = training.stream().map(c -> labels.get(c.getStep()).header().checkpoint()).toList();

    Map<ProbeFamily, ProbeBundle> bundles = new LinkedHashMap<>();
    List<FamilyMetrics> metrics = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager(runtime.device())) {
      for (ProbeFamily family : plan.families()) {
        ProbeBundle bundle = reusable(storage, plan.probe(family), family, fingerprints);
        if (bundle != null) {
          out.println(family + ": already trained on these checkpoints: " + plan.probe(family));
        } else {
          bundle = train(storage, plan, family, training, labels, catalog, runtime, manager, out);
        }
        bundles.put(family, bundle);
        metrics.add(score(storage, plan, family, bundle, heldOut, labels, catalog, manager));
      }
    }
    metrics.forEach(m -> out.printf(Locale.ROOT, "%-9s held-out AUROC %s, calibration error %s, checkpoint |Δ pass@1| %s%n",
        m.getFamily(), format(m.getAuroc()), format(m.getCalibrationError()), format(m.getCheckpointAbsError())));
    ProbeFamily chosen = ProbeManifest.best(bundles.values().stream().map(ProbeBundle::manifest).toList()).family();
    ProbeBundle best = bundles.get(chosen);
    String fingerprint = best.fingerprint();
    publish(storage, plan, best, fingerprint, out);
    out.println("chosen: " + chosen + " (the simplest within a standard error of the best AUROC on the newest labelled"
        + " checkpoint, unseen) → " + plan.output() + " " + fingerprint);
    return new TrainingReport(TrainingReport.CURRENT_VERSION, metrics, chosen.wireName(), plan.output(), fingerprint,
        heldOut.stream().map(LabelledCheckpoint::getStep).toList());
  }

  /** A stage's input from the work folder; missing, it names the stage that writes it. */
  private static Path input(Storage storage, String location, LabelledCheckpoint c, String what) {
    if (!storage.exists(location, Purpose.INPUT)) {
      throw WorkerException.invalidArguments("the " + what + " of checkpoint " + c.getUri() + " (step " + c.getStep()
          + ") are missing: " + location + "; the label (or import) and extract stages write them");
    }
    return storage.fetch(location, Purpose.INPUT);
  }

  /** The family's bundle in the work folder if it was trained on exactly these checkpoints. */
  private static ProbeBundle reusable(Storage storage, String folder, ProbeFamily family, List<String> fingerprints) {
    if (!StoredBundle.exists(storage, folder)) {
      return null;
    }
    try {
      ProbeBundle bundle = StoredBundle.read(storage, folder);
      return bundle.manifest().family() == family && bundle.manifest().trainedOn(fingerprints) ? bundle : null;
    } catch (BundleException e) {
      return null; // damaged: train it again
    }
  }

  private static ProbeBundle train(Storage storage, StagePlan plan, ProbeFamily family,
      List<LabelledCheckpoint> training, Map<Long, Labels> labels, TaskCatalog catalog, StageRuntime runtime,
      NDManager manager, PrintWriter out) throws IOException {
    List<BundleTrainer.LabelledCheckpoint> data = new ArrayList<>();
    for (LabelledCheckpoint c : training) {
      String features = plan.features(c.getStep(), family);
      data.add(new BundleTrainer.LabelledCheckpoint(FeatureFile.read(input(storage, features, c, family + " features")),
          labels.get(c.getStep()), features, plan.labels(c.getStep())));
    }
    BundleTrainer.Settings settings = plan.trainerSettings(family);
    String folder = plan.probe(family);
    Path local = storage.workFile(folder);
    LoadedCheckpoint source = family == ProbeFamily.SUBMODEL
        ? runtime.load(storage, training.get(training.size() - 1), "the submodel probe's blocks", (config, tokenizer) -> { })
        : null;
    try (NDManager scope = manager.newSubManager();
        ProgressBar bar = ProgressBar.onStderr("train " + family, "epochs", settings.options().maxEpochs())) {
      LocalTree.delete(local);
      ProbeTrainer.Result result = BundleTrainer.train(data, catalog, settings, source == null ? null : source.model(),
          local, scope, bar);
      out.printf(Locale.ROOT, "%s: %d epochs, kept epoch %d (held-out loss %.4f)%n", family, result.epochs(),
          result.bestEpoch(), result.heldOutLoss());
      StoredBundle.publish(storage, local, folder);
    } finally {
      if (source != null) {
        source.close();
      }
      LocalTree.delete(local);
    }
    return StoredBundle.read(storage, folder);
  }

  /**
   * Held-out AUROC and calibration error (the bundle's, on held-out prompts of the training
   * checkpoints; means over tasks) and, on the held-out checkpoints, the mean over tasks and
   * checkpoints of |mean predicted pass@1 − the labels' pass@1|.
   */
  private static FamilyMetrics score(Storage storage, StagePlan plan, ProbeFamily family, ProbeBundle bundle,
      List<LabelledCheckpoint> heldOut, Map<Long, Labels> labels, TaskCatalog catalog, NDManager manager) {
    OptionalDouble auroc = bundle.manifest().meanHeldOutAuroc();
    OptionalDouble ece = bundle.manifest().heldOut().values().stream().mapToDouble(ProbeMetrics::ece).average();
    Double checkpointError = null;
    if (!heldOut.isEmpty()) {
      double sum = 0;
      int n = 0;
      try (NDManager scope = manager.newSubManager()) {
        ProbeHead head = bundle.loadHead(scope);
        for (LabelledCheckpoint c : heldOut) {
          FeatureFile features = FeatureFile.read(input(storage, plan.features(c.getStep(), family), c,
              family + " features"));
          for (TaskSet set : catalog.sets()) {
            double[] predicted = ProbeHeads.predict(head, ProbeDataset.unlabelled(features.tasks().get(set.name()),
                features.provenance().spec().everyPosition(), bundle.manifest().head().sideInputs(),
                features.provenance().step()), scope);
            double actual = labels.get(c.getStep()).outcomes(set.name()).passAt1();
            sum += Math.abs(Arrays.stream(predicted).average().orElse(0) - actual);
            n++;
          }
        }
      }
      checkpointError = n == 0 ? null : sum / n;
    }
    return new FamilyMetrics(family.wireName(), auroc.isPresent() ? auroc.getAsDouble() : null,
        ece.isPresent() ? ece.getAsDouble() : null, checkpointError);
  }

  /** Puts the chosen bundle at the output, unless it is there already; another bundle there only with overwrite. */
  private static void publish(Storage storage, StagePlan plan, ProbeBundle best, String fingerprint, PrintWriter out)
      throws IOException {
    String output = plan.output();
    String state = CheckStage.bundleState(storage, plan, out);
    if (state.equals(CheckReport.BUNDLE_SAME) && fingerprint.equals(StoredBundle.read(storage, output).fingerprint())) {
      out.println("the output already holds this bundle: " + output);
      return;
    }
    StoredBundle.publish(storage, best.directory(), output);
  }

  private static String format(Double value) {
    return value == null ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
  }
}
