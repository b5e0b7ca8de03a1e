package dev.foresight.worker.labels;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.foresight.worker.tasks.TaskCatalog;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The first line of a label file: what was labelled and how.
 *
 * @param format {@value #FORMAT}
 * @param checkpoint the checkpoint's fingerprint
 * @param location where the checkpoint was read from (for people; not compared on resume)
 * @param settings the sampling settings
 * @param tasks task name → prompt-set hash, sorted by name so that every run writes the same line
 * @param shard which part of the run a shard file holds; absent (null) in a whole label file
 */
public record LabelHeader(int format, String checkpoint, String location, LabelSettings settings, Map<String, String> tasks,
    @JsonInclude(JsonInclude.Include.NON_NULL) LabelShard shard) {
  public static final int FORMAT = 1;

  @com.fasterxml.jackson.annotation.JsonCreator
  public LabelHeader {
    tasks = Collections.unmodifiableSortedMap(new TreeMap<>(tasks));
  }

  /** The header of a whole (unsharded) label file. */
  public LabelHeader(int format, String checkpoint, String location, LabelSettings settings, Map<String, String> tasks) {
    this(format, checkpoint, location, settings, tasks, null);
  }

  /** The header for labelling {@code catalog} on the checkpoint with {@code fingerprint}. */
  public static LabelHeader of(String fingerprint, String location, LabelSettings settings, TaskCatalog catalog) {
    Map<String, String> hashes = new TreeMap<>();
    catalog.sets().forEach(s -> hashes.put(s.name(), s.promptSetHash()));
    return new LabelHeader(FORMAT, fingerprint, location, settings, hashes);
  }

  /** This run's header for the file of one shard of it. */
  public LabelHeader forShard(LabelShard part) {
    return new LabelHeader(format, checkpoint, location, settings, tasks, part);
  }

  /** Whether a file with this header may be continued by a run described by {@code other}. */
  public boolean sameRunAs(LabelHeader other) {
    return format == other.format && checkpoint.equals(other.checkpoint) && settings.equals(other.settings)
        && tasks.equals(other.tasks) && java.util.Objects.equals(shard, other.shard);
  }
}
