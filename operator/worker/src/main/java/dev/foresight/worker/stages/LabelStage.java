package dev.foresight.worker.stages;

import dev.foresight.api.training.LabelShardIndex;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.evaluation.ContextDemand;
import dev.foresight.worker.evaluation.LoadedCheckpoint;
import dev.foresight.worker.labels.LabelHeader;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.LabelShard;
import dev.foresight.worker.labels.Labeller;
import dev.foresight.worker.labels.ShardFile;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code foresight training label --index I}: one pod of the labelling Indexed Job labels shard
 * {@code I % shards} of checkpoint {@code I / shards} into
 * {@code labels/step-<step>/labels.jsonl.shard-<s>-of-<n>} (as {@code foresight label --shard}
 * does), resumable in its local work file and put in place whole when done. A shard already in
 * place for the same checkpoint location, settings and tasks is not labelled again, and its model
 * is not loaded: a retried or re-created Job redoes only the missing shards.
 */
public final class LabelStage {
  private LabelStage() {}

  public static void run(Storage storage, StagePlan plan, int index, StageRuntime runtime, PrintWriter out)
      throws IOException {
    if (!plan.generated()) {
      throw WorkerException.invalidArguments("the training imports its labels (spec.labels.lmEval): run the import"
          + " stage, not label");
    }
    LabelShardIndex at;
    try {
      at = LabelShardIndex.of(index, plan.shards());
    } catch (IllegalArgumentException e) {
      throw WorkerException.invalidArguments("--index: " + e.getMessage());
    }
    List<LabelledCheckpoint> checkpoints = LabelledCheckpoints.read(storage, plan);
    String part = "label shard " + at.shard() + " of " + at.shards();
    LabelledCheckpoint checkpoint = LabelledCheckpoints.at(checkpoints, at.checkpoint(), "--index " + index + " (" + part + ")");
    TaskCatalog catalog = plan.tasks(storage);
    LabelSettings settings = plan.labelSettings();
    LabelShard shard = LabelShard.of(at.shard(), at.shards(), catalog);
    ShardFile file = new ShardFile(storage, shard.locationFor(plan.labels(checkpoint.getStep())));
    Optional<LabelHeader> stored = file.stored();
    if (stored.isPresent() && stored.get().location().equals(checkpoint.getUri())) {
      // The stored shard names its checkpoint's fingerprint, which only loading the checkpoint would
      // tell; within one work folder (named after the spec) the location identifies it.
      LabelHeader expected = LabelHeader.of(stored.get().checkpoint(), checkpoint.getUri(), settings, catalog).forShard(shard);
      if (file.alreadyLabelled(expected, out)) {
        out.println("step " + checkpoint.getStep() + ": already labelled");
        return;
      }
    }
    try (LoadedCheckpoint ckpt = runtime.load(storage, checkpoint, part,
        ContextDemand.withGeneration(catalog, settings.maxNewTokens())::check)) {
      LabelHeader header = LabelHeader.of(ckpt.fingerprint(), checkpoint.getUri(), settings, catalog).forShard(shard);
      if (file.alreadyLabelled(header, out)) {
        return;
      }
      Labeller.FileRun run;
      try (ProgressBar bar = ProgressBar.onStderr("label step-" + checkpoint.getStep(), "prompts", shard.size())) {
        run = new Labeller(ckpt.model(), ckpt.tokenizer()).labelFile(file.workFile(), header, catalog, settings,
            runtime.batchSize(), Long.MAX_VALUE, bar);
      }
      out.printf(Locale.ROOT, "step %d, %s: %d prompts labelled now, %d before%n", checkpoint.getStep(), part,
          run.labelled(), run.before());
      file.publish(out);
    }
  }
}
