package dev.foresight.worker.labels;

import dev.foresight.worker.tasks.TaskCatalog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first line of a label file: what was labelled and how.
 *
 * @param format {@value #FORMAT}
 * @param checkpoint the checkpoint's fingerprint
 * @param location where the checkpoint was read from (for people; not compared on resume)
 * @param settings the sampling settings
 * @param tasks task name → prompt-set hash
 */
public record LabelHeader(int format, String checkpoint, String location, LabelSettings settings, Map<String, String> tasks) {
  public static final int FORMAT = 1;

  public LabelHeader {
    tasks = Map.copyOf(tasks);
  }

  /** The header for labelling {@code catalog} on the checkpoint with {@code fingerprint}. */
  public static LabelHeader of(String fingerprint, String location, LabelSettings settings, TaskCatalog catalog) {
    Map<String, String> hashes = new LinkedHashMap<>();
    catalog.sets().forEach(s -> hashes.put(s.name(), s.promptSetHash()));
    return new LabelHeader(FORMAT, fingerprint, location, settings, hashes);
  }

  /** Whether a file with this header may be continued by a run described by {@code other}. */
  public boolean sameRunAs(LabelHeader other) {
    return format == other.format && checkpoint.equals(other.checkpoint) && settings.equals(other.settings)
        && tasks.equals(other.tasks);
  }
}
