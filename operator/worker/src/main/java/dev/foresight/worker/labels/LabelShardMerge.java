package dev.foresight.worker.labels;

import dev.foresight.worker.WorkerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Joins the shard files of one labelling run into the label file the unsharded run writes, byte for
 * byte: the same header (without the shard), then the prompts in the tasks' order, dealt back from
 * the shards in the order {@link LabelShard} dealt them out. Shards of another run, a shard given
 * twice or missing, or an unfinished one are refused before anything is written.
 */
public final class LabelShardMerge {
  private final List<Labels> shards;
  private final List<String> names;

  /**
   * @param shards shard {@code i}'s labels at index {@code i}
   * @param names where each was read from, for messages
   */
  public LabelShardMerge(List<Labels> shards, List<String> names) {
    this.shards = List.copyOf(shards);
    this.names = List.copyOf(names);
    check();
  }

  private void check() {
    int n = shards.size();
    LabelHeader first = shards.get(0).header();
    for (int i = 0; i < n; i++) {
      LabelHeader h = shards.get(i).header();
      LabelShard part = h.shard();
      if (part == null) {
        throw refused(i, "is a whole label file, not a shard");
      }
      if (part.count() != n) {
        throw refused(i, "is shard " + part.index() + " of " + part.count() + ", not of " + n);
      }
      if (part.index() != i) {
        throw refused(i, "holds shard " + part.index() + " of " + n + ", not shard " + i
            + " (a copy of another shard's file?)");
      }
      String differs = difference(first, h);
      if (differs != null) {
        throw refused(i, "belongs to another run than " + names.get(0) + ": " + differs);
      }
      if (shards.get(i).count() != part.size()) {
        throw refused(i, "holds " + shards.get(i).count() + " of its " + part.size()
            + " prompts: label the shard to the end first");
      }
    }
  }

  private static String difference(LabelHeader a, LabelHeader b) {
    if (a.format() != b.format()) {
      return "format " + a.format() + " vs " + b.format();
    }
    if (!a.checkpoint().equals(b.checkpoint())) {
      return "checkpoint " + a.checkpoint() + " vs " + b.checkpoint();
    }
    if (!a.settings().equals(b.settings())) {
      return "settings " + a.settings() + " vs " + b.settings();
    }
    if (!a.tasks().equals(b.tasks())) {
      return "task sets " + a.tasks() + " vs " + b.tasks();
    }
    if (!a.shard().prompts().equals(b.shard().prompts())) {
      return "prompts per task " + a.shard().prompts() + " vs " + b.shard().prompts();
    }
    return null;
  }

  private WorkerException refused(int shard, String why) {
    return WorkerException.invalidArguments("label shard " + names.get(shard) + " " + why + "; nothing was merged");
  }

  /** The header of the merged file: the run's, without a shard. */
  public LabelHeader header() {
    LabelHeader h = shards.get(0).header();
    return new LabelHeader(h.format(), h.checkpoint(), h.location(), h.settings(), h.tasks());
  }

  /** The prompts' labels in the unsharded run's order. */
  public List<PromptLabel> labels() {
    int n = shards.size();
    List<Map<String, Iterator<PromptLabel>>> next = new ArrayList<>();
    for (Labels s : shards) {
      next.add(new java.util.HashMap<>());
      s.byTask().forEach((task, list) -> next.get(next.size() - 1).put(task, list.iterator()));
    }
    List<PromptLabel> out = new ArrayList<>();
    long place = 0;
    for (Map.Entry<String, Integer> task : shards.get(0).header().shard().prompts().entrySet()) {
      for (int i = 0; i < task.getValue(); i++, place++) {
        int shard = (int) (place % n);
        Iterator<PromptLabel> it = next.get(shard).get(task.getKey());
        if (it == null || !it.hasNext()) {
          throw refused(shard, "has fewer prompts of task '" + task.getKey() + "' than its header says");
        }
        out.add(it.next());
      }
    }
    return out;
  }

  /** Writes the merged label file to {@code file} (a work file: the caller puts it in place whole). */
  public void write(Path file) throws IOException {
    List<PromptLabel> labels = labels();
    Files.deleteIfExists(file);
    try (LabelFile out = LabelFile.open(file, header())) {
      labels.forEach(out::append);
    }
  }
}
