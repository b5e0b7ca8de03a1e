package dev.foresight.worker.cli;

import dev.foresight.api.worker.LabelShardCommand;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.worker.labels.StoredLabelMerge;
import dev.foresight.worker.storage.Storage;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foresight label-merge}: joins the shard files that {@code label --shard I --shards N} wrote
 * into the label file one unsharded run with the same settings writes, byte for byte. It needs no
 * checkpoint and no model: the shards' headers say everything.
 */
@Command(name = LabelShardCommand.MERGE_SUBCOMMAND, mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Join the shards <output>.shard-I-of-N (I = 0..N-1) of one labelling run into <output>, the file an"
        + " unsharded `foresight label` with the same settings writes.",
        "Refuses shards of different checkpoints, settings, seeds or task sets, and missing, duplicated or unfinished"
            + " shards (exit 2); <output> is written whole or not at all."})
final class LabelMergeCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = WorkerCommand.OUTPUT, required = true,
      description = "the merged label file (a path, file://, pvc:// or s3://); the shards are read from beside it")
  String output;

  @Option(names = LabelShardCommand.SHARDS, required = true, paramLabel = "N", description = "how many shards the run was dealt into")
  int shards;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (Storage storage = Storage.fromEnvironment()) {
      int prompts = StoredLabelMerge.merge(storage, output, shards);
      out.printf(Locale.ROOT, "%d prompts from %d shards: %s%n", prompts, shards, output);
    }
    return 0;
  }
}
