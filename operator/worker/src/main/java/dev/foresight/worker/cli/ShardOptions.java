package dev.foresight.worker.cli;

import dev.foresight.api.worker.LabelShardCommand;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.labels.LabelShard;
import dev.foresight.worker.tasks.TaskCatalog;
import picocli.CommandLine.Option;

/** {@code --shard I --shards N}: label one part of the prompts, as one index of a Kubernetes Indexed Job does. */
final class ShardOptions {

  @Option(names = LabelShardCommand.SHARD, paramLabel = "I",
      description = "label only shard I (0-based) of --shards into <output>.shard-I-of-N, written whole when done;"
          + " join the shards with label-merge")
  Integer shard;

  @Option(names = LabelShardCommand.SHARDS, paramLabel = "N", description = "how many shards the prompts are dealt into")
  Integer shards;

  /** The shard asked for, or null for the whole run. */
  LabelShard of(TaskCatalog catalog) {
    if (shard == null && shards == null) {
      return null;
    }
    if (shard == null || shards == null) {
      throw WorkerException.invalidArguments(shard == null ? "--shards needs --shard (which shard this run labels)"
          : "--shard needs --shards (how many shards there are)");
    }
    try {
      return LabelShard.of(shard, shards, catalog);
    } catch (IllegalArgumentException e) {
      throw WorkerException.invalidArguments("--" + e.getMessage());
    }
  }
}
