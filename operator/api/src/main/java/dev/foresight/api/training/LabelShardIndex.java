package dev.foresight.api.training;

/**
 * One pod of the labelling Indexed Job: completion index {@code i} labels shard
 * {@code i % shardsPerCheckpoint} of checkpoint {@code i / shardsPerCheckpoint} (in the plan's
 * checkpoint order). The worker reads it to know what to label; the operator, to name the
 * checkpoint and shard of a failed index.
 */
public record LabelShardIndex(int checkpoint, int shard, int shards) {

  public LabelShardIndex {
    if (checkpoint < 0 || shards < 1 || shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("no shard " + shard + " of " + shards + " for checkpoint #" + checkpoint);
    }
  }

  public static LabelShardIndex of(int completionIndex, int shardsPerCheckpoint) {
    if (completionIndex < 0) {
      throw new IllegalArgumentException("completion index must not be negative, got " + completionIndex);
    }
    return new LabelShardIndex(completionIndex / shardsPerCheckpoint, completionIndex % shardsPerCheckpoint,
        shardsPerCheckpoint);
  }

  public int completionIndex() { return checkpoint * shards + shard; }
}
