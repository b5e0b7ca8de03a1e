package dev.foresight.worker.labels;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One part of a labelling run split over pods: shard {@code index} of {@code count} labels the
 * prompts whose place in the whole prompt list (the tasks in the run's order, each task's prompts
 * in file order) is {@code index} modulo {@code count}. Dealing prompts out like cards keeps the
 * shards within one prompt of each other and gives each the same mix of tasks (tasks differ in
 * prompt and answer length, so contiguous blocks would not be equal work), and it depends only on
 * the task files, so a retried pod labels exactly what the first try did.
 *
 * @param index 0-based
 * @param count shards in the run
 * @param prompts task → prompt count, in the run's order: the merge rebuilds the unsharded file's
 *     order from it, so it is written into every shard's header
 */
public record LabelShard(int index, int count, Map<String, Integer> prompts) {

  public LabelShard {
    if (count < 1) {
      throw new IllegalArgumentException("shards must be at least 1, got " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("shard must be in 0.." + (count - 1) + " (of " + count + " shards), got " + index);
    }
    prompts = Collections.unmodifiableMap(new LinkedHashMap<>(prompts));
  }

  /** Shard {@code index} of {@code count} of {@code catalog}'s prompts. */
  public static LabelShard of(int index, int count, TaskCatalog catalog) {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    catalog.sets().forEach(s -> sizes.put(s.name(), s.prompts().size()));
    return new LabelShard(index, count, sizes);
  }

  /** Whether the prompt at {@code place} in the whole prompt list belongs to this shard. */
  public boolean holds(long place) {
    return place % count == index;
  }

  /** The places in {@code set}'s prompt list that belong to this shard ({@code set} being one of the run's tasks). */
  public List<Integer> placesIn(TaskSet set) {
    long first = 0;
    for (Map.Entry<String, Integer> e : prompts.entrySet()) {
      if (e.getKey().equals(set.name())) {
        break;
      }
      first += e.getValue();
    }
    List<Integer> mine = new ArrayList<>();
    for (int i = 0; i < set.prompts().size(); i++) {
      if (holds(first + i)) {
        mine.add(i);
      }
    }
    return mine;
  }

  /** Prompts in the whole run. */
  @JsonIgnore
  public long totalPrompts() {
    return prompts.values().stream().mapToLong(Integer::longValue).sum();
  }

  /** Prompts this shard labels. */
  @JsonIgnore
  public long size() {
    long total = totalPrompts();
    return total / count + (index < total % count ? 1 : 0);
  }

  /**
   * Where this shard's file goes for a run whose merged label file is {@code output} (a path or a
   * storage URI): one fixed name per (index, count), so a retried pod replaces its own shard and
   * the merge finds every shard without a listing.
   */
  public String locationFor(String output) {
    return locationFor(output, index, count);
  }

  /** {@link #locationFor(String)} of shard {@code index} of {@code count}. */
  public static String locationFor(String output, int index, int count) {
    return output + ".shard-" + index + "-of-" + count;
  }
}
