package dev.foresight.worker.labels;

import dev.foresight.worker.WorkerException;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins the shard files {@code <output>.shard-I-of-N} of one labelling run, wherever they are
 * stored, into {@code output}: the file one unsharded run with the same settings writes, put there
 * whole or not at all ({@code label-merge}, and a ProbeTraining's extract stage).
 */
public final class StoredLabelMerge {
  private StoredLabelMerge() {}

  /**
   * @return the prompts merged
   * @throws WorkerException (invalid arguments) naming missing shards, or {@link LabelShardMerge}'s
   *     refusals (shards of different runs, duplicated or unfinished); nothing is written then
   */
  public static int merge(Storage storage, String output, int shards) throws IOException {
    if (shards < 1) {
      throw WorkerException.invalidArguments("--shards must be at least 1, got " + shards);
    }
    List<String> names = new ArrayList<>();
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      names.add(LabelShard.locationFor(output, i, shards));
      if (!storage.exists(names.get(i), Purpose.INPUT)) {
        missing.add(i);
      }
    }
    if (!missing.isEmpty()) {
      throw WorkerException.invalidArguments(missing.size() + " of " + shards + " label shards are missing: "
          + missing + " (looked for " + names.get(missing.get(0)) + " and the like); label them first; nothing was merged");
    }
    List<Labels> labels = new ArrayList<>();
    for (String name : names) {
      labels.add(LabelFile.read(storage.fetch(name, Purpose.INPUT)));
    }
    LabelShardMerge merge = new LabelShardMerge(labels, names);
    Path work = storage.workFile(output);
    try {
      merge.write(work);
      storage.store(work, output);
    } finally {
      Files.deleteIfExists(work);
    }
    return labels.stream().mapToInt(Labels::count).sum();
  }
}
