package dev.foresight.controller.training;

import dev.foresight.api.training.LabelShardIndex;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.worker.TrainingStageCommand.Stage;
import java.util.List;

/**
 * Names what a failed index of an indexed stage was working on, for the training's message: the
 * checkpoint (its URI and step when the spec lists them; its place in step order and where the
 * check stage listed them when they come from a monitor) and, when labelling, the shard.
 *
 * @param index the Job's completion index
 * @param checkpoints how many checkpoints the check stage counted, or null
 * @param workDir the training's work folder (where checkpoints.json lists a monitor's checkpoints)
 */
record FailedIndex(Stage stage, int index, Integer checkpoints, String workDir) {

  /** E.g. "checkpoint pvc://c/step-200 (step 200), shard 1 of 2 (index 3 of Job demo-label-1a2b3c4d)". */
  String describe(ProbeTrainingSpec spec, String jobName) {
    int shards = stage == Stage.LABEL && spec.getLabels().getGenerate() != null ? spec.getLabels().getGenerate().shards() : 1;
    LabelShardIndex at = LabelShardIndex.of(index, shards);
    String where = checkpoint(spec, at.checkpoint());
    if (stage == Stage.LABEL) {
      // 0-based, as the shard files are named (labels.jsonl.shard-I-of-N).
      where += ", shard " + at.shard() + " of " + at.shards();
    }
    return where + " (index " + index + " of Job " + jobName + ")";
  }

  private String checkpoint(ProbeTrainingSpec spec, int checkpoint) {
    List<LabelledCheckpoint> list = spec.getCheckpoints().getList();
    if (list != null && checkpoint < list.size()) {
      LabelledCheckpoint c = list.get(checkpoint);
      return "checkpoint " + c.getUri() + " (step " + c.getStep() + ")";
    }
    String monitor = spec.getCheckpoints().getMonitor() == null ? "?" : spec.getCheckpoints().getMonitor().getName();
    return "checkpoint #" + checkpoint + (checkpoints == null ? "" : " of " + checkpoints) + " under ProbeMonitor "
        + monitor + "'s prefix (in step order, as " + workDir + "/checkpoints.json lists them)";
  }
}
