package dev.foresight.worker.stages;

import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.worker.evaluation.ContextDemand;
import dev.foresight.worker.evaluation.LoadedCheckpoint;
import dev.foresight.worker.features.FeatureExtractor;
import dev.foresight.worker.features.FeatureFile;
import dev.foresight.worker.features.FeatureSpec;
import dev.foresight.worker.features.TaskFeatures;
import dev.foresight.worker.labels.StoredLabelMerge;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code foresight training extract --index C}: merges checkpoint C's label shards into its label
 * file (generated labels; skipped once merged), then writes the features each probe family reads
 * to {@code features/step-<step>/<family>.safetensors} (as {@code foresight extract} does), one
 * forward pass per distinct feature spec. Files already there are kept, and the model is not
 * loaded when every file is there.
 */
public final class ExtractStage {
  private ExtractStage() {}

  public static void run(Storage storage, StagePlan plan, int index, StageRuntime runtime, PrintWriter out)
      throws IOException {
    List<LabelledCheckpoint> checkpoints = LabelledCheckpoints.read(storage, plan);
    LabelledCheckpoint checkpoint = LabelledCheckpoints.at(checkpoints, index, "--index " + index);
    long step = checkpoint.getStep();
    String labels = plan.labels(step);
    if (plan.generated()) {
      if (storage.exists(labels, Purpose.OUTPUT)) {
        out.println("step " + step + ": labels already merged: " + labels);
      } else {
        int prompts = StoredLabelMerge.merge(storage, labels, plan.shards());
        out.println("step " + step + ": " + prompts + " prompts merged from " + plan.shards() + " shards: " + labels);
      }
    }
    List<ProbeFamily> missing = plan.families().stream()
        .filter(f -> !storage.exists(plan.features(step, f), Purpose.OUTPUT)).toList();
    plan.families().stream().filter(f -> !missing.contains(f))
        .forEach(f -> out.println("step " + step + ": " + f + " features already extracted"));
    if (missing.isEmpty()) {
      return;
    }
    TaskCatalog catalog = plan.tasks(storage);
    try (LoadedCheckpoint ckpt = runtime.load(storage, checkpoint, "features", ContextDemand.withAnswers(catalog)::check)) {
      int layers = ckpt.checkpoint().config().numLayers();
      FeatureExtractor extractor = new FeatureExtractor(ckpt.model(), ckpt.tokenizer());
      Map<FeatureSpec, Map<String, TaskFeatures>> bySpec = new HashMap<>();
      for (ProbeFamily f : missing) {
        FeatureSpec spec = plan.featureSpec(f, layers);
        Map<String, TaskFeatures> features = bySpec.get(spec);
        if (features == null) {
          try (ProgressBar bar = ProgressBar.onStderr("extract step-" + step, "prompts", catalog.promptCount())) {
            features = extractor.extract(catalog, spec, runtime.batchSize(), (done, total) -> bar.moveTo(done));
          }
          bySpec.put(spec, features);
        }
        String location = plan.features(step, f);
        Path work = storage.workFile(location);
        try {
          Files.createDirectories(work.toAbsolutePath().getParent());
          FeatureFile.of(ckpt.fingerprint(), checkpoint.getUri(), step, ckpt.signature(), spec, catalog, features).write(work);
          storage.store(work, location);
        } finally {
          Files.deleteIfExists(work);
        }
        out.println("step " + step + ": " + f + " features (layers " + spec.layers() + ", pooling "
            + spec.pooling().cliName() + "): " + location);
      }
    }
  }
}
