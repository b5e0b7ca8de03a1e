package dev.foresight.worker.scan;

import dev.foresight.api.worker.ScanCommand;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.safetensors.SafetensorsFormatException;
import dev.foresight.worker.safetensors.SafetensorsIndex;
import dev.foresight.worker.safetensors.SafetensorsWeights;
import dev.foresight.worker.storage.FolderListing;
import dev.foresight.worker.storage.StoredFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Without a marker: ready when the folder holds config.json and its weights (model.safetensors, or
 * the index and every shard it names) and no file in it changed for the settle time. The index is
 * the only file read; shards are only looked up in the listing.
 */
final class CompleteRule implements ReadinessRule {
  /** Real indexes are tens of kilobytes; anything near this is not one, and is not worth the memory. */
  static final int MAX_INDEX_BYTES = 16 << 20;

  private final Duration settle;
  private final Clock clock;

  /** @throws WorkerException (invalid arguments) naming {@code --settle-seconds} when negative */
  CompleteRule(Duration settle, Clock clock) {
    if (settle.isNegative()) {
      throw WorkerException.invalidArguments(ScanCommand.SETTLE_SECONDS + " " + settle.toSeconds() + " must be 0 or more");
    }
    this.settle = settle;
    this.clock = clock;
  }

  @Override
  public Verdict check(CheckpointFolder folder, FolderListing listing) {
    if (!folder.has(Checkpoint.CONFIG)) {
      return Verdict.notReady(Checkpoint.CONFIG + " missing");
    }
    List<StoredFile> required = new ArrayList<>();
    folder.file(Checkpoint.CONFIG).ifPresent(required::add);
    String incomplete = folder.has(SafetensorsWeights.INDEX_FILE)
        ? shardsMissing(folder, listing, required)
        : singleFileMissing(folder, required);
    if (incomplete != null) {
      return Verdict.notReady(incomplete);
    }
    String unsettled = unsettled(folder);
    return unsettled == null ? Verdict.ready(Fingerprint.of(folder.name(), required)) : Verdict.notReady(unsettled);
  }

  private static String singleFileMissing(CheckpointFolder folder, List<StoredFile> required) {
    Optional<StoredFile> weights = folder.file(SafetensorsWeights.SINGLE_FILE);
    if (weights.isEmpty()) {
      return "no " + SafetensorsWeights.SINGLE_FILE + " or " + SafetensorsWeights.INDEX_FILE + " yet";
    }
    required.add(weights.get());
    return null;
  }

  /** Reads the index and looks up each shard it names; null when all are there. */
  private static String shardsMissing(CheckpointFolder folder, FolderListing listing, List<StoredFile> required) {
    StoredFile index = folder.file(SafetensorsWeights.INDEX_FILE).orElseThrow();
    required.add(index);
    Set<String> shards;
    try {
      if (index.size() > MAX_INDEX_BYTES) {
        return "index unreadable: " + index.size() + " bytes, more than an index holds (" + MAX_INDEX_BYTES + ")";
      }
      byte[] json = listing.read(folder.name(), index.name(), MAX_INDEX_BYTES);
      shards = new LinkedHashSet<>(SafetensorsIndex.weightMap(json, Path.of(index.name())).values());
    } catch (SafetensorsFormatException e) {
      return "index unreadable: " + e.problem();
    } catch (IOException e) {
      return "index unreadable: " + e.getMessage();
    }
    if (shards.isEmpty()) {
      return "index unreadable: its weight_map names no shard";
    }
    List<String> missing = new ArrayList<>();
    for (String shard : shards) {
      folder.file(shard).ifPresentOrElse(required::add, () -> missing.add(shard));
    }
    if (missing.isEmpty()) {
      return null;
    }
    return missing.size() == 1
        ? "shard " + missing.get(0) + " missing"
        : missing.size() + " of " + shards.size() + " shards missing, first " + missing.get(0);
  }

  /** Null when no file in the folder changed within the settle time, else how long to wait. */
  private String unsettled(CheckpointFolder folder) {
    if (settle.isZero()) {
      return null;
    }
    Instant newest = Instant.MIN;
    for (StoredFile f : folder.files()) {
      if (f.modified().isAfter(newest)) {
        newest = f.modified();
      }
    }
    Duration age = Duration.between(newest, clock.instant());
    if (age.compareTo(settle) >= 0) {
      return null;
    }
    if (age.isNegative()) {
      // A writer whose clock runs ahead of ours: wait until our clock has passed it by the settle time.
      return "written " + age.negated().toSeconds() + " s ahead of this clock, settles after " + settle.toSeconds() + " s";
    }
    return "written " + age.toSeconds() + " s ago, settles after " + settle.toSeconds() + " s";
  }
}
