package dev.foresight.controller.training;

import dev.foresight.api.training.LabelShardIndex;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads an Indexed Job's status: which indexes finished ({@code completedIndexes}, e.g.
 * {@code "0-3,5"}) or failed for good ({@code failedIndexes}), and how many prompts the finished
 * label shards hold. Counts come from the index lists, which the Job controller keeps exact, not
 * from {@code succeeded}, which lags them.
 */
final class IndexedProgress {
  private IndexedProgress() {}

  /** The indexes of a Job status list such as "0-3,5"; unreadable parts count as none. */
  static TreeSet<Integer> indexes(String ranges) {
    TreeSet<Integer> out = new TreeSet<>();
    if (ranges == null || ranges.isBlank()) {
      return out;
    }
    for (String part : ranges.split(",")) {
      String[] ends = part.trim().split("-", 2);
      try {
        int from = Integer.parseInt(ends[0].trim());
        int to = ends.length > 1 ? Integer.parseInt(ends[1].trim()) : from;
        for (int i = from; i <= to; i++) {
          out.add(i);
        }
      } catch (NumberFormatException e) {
        // A Job status is the Job controller's; a part it never writes is skipped, not fatal.
      }
    }
    return out;
  }

  static TreeSet<Integer> completed(Job job) {
    if (job.getStatus() == null) {
      return new TreeSet<>();
    }
    return indexes(job.getStatus().getCompletedIndexes());
  }

  /** The first index that failed for good, if any. */
  static Optional<Integer> firstFailed(Job job) {
    if (job.getStatus() == null) {
      return Optional.empty();
    }
    TreeSet<Integer> failed = indexes(job.getStatus().getFailedIndexes());
    return failed.isEmpty() ? Optional.empty() : Optional.of(failed.first());
  }

  /**
   * Prompts of one label shard: shard {@code s} of {@code n} labels every n-th prompt from the s-th
   * on, so the first {@code prompts % n} shards hold one more than the rest.
   */
  static long promptsOf(LabelShardIndex index, long promptsPerCheckpoint) {
    return index.shard() >= promptsPerCheckpoint ? 0
        : (promptsPerCheckpoint - index.shard() + index.shards() - 1) / index.shards();
  }

  /** Prompts labelled by the finished indexes of a labelling Job with {@code shards} indexes per checkpoint. */
  static long promptsLabelled(TreeSet<Integer> done, int shards, long promptsPerCheckpoint) {
    return done.stream().mapToLong(i -> promptsOf(LabelShardIndex.of(i, shards), promptsPerCheckpoint)).sum();
  }
}
