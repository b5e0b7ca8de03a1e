package dev.foresight.api.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of {@code foresight label … --shard I --shards N}, one index of a labelling Indexed
 * Job: label every N-th prompt of the task files, from the I-th on, into
 * {@code <output>.shard-I-of-N}; and of {@code foresight label-merge}, which joins the N shards into
 * {@code output}, the file an unsharded run with the same settings writes. As with
 * {@link WorkerCommand}, the worker's parser declares exactly these option names.
 *
 * @param taskFiles task files or folders of them (paths, file://, pvc:// or s3://)
 * @param tasks the tasks to label; empty for all
 * @param output the merged label file; the shards go beside it
 * @param shard 0-based; null renders {@link #JOB_INDEX}, for the pod template of an Indexed Job
 *     with one completion per shard of one checkpoint
 * @param device null: the worker's default (cpu)
 * @param dtype null: the worker's default
 * @param batchSize null: the worker's default
 */
public record LabelShardCommand(
    String checkpoint,
    List<String> taskFiles,
    List<String> tasks,
    String output,
    int samples,
    double temperature,
    double topP,
    int maxNewTokens,
    long seed,
    Integer shard,
    int shards,
    String device,
    String dtype,
    Integer batchSize) {

  public static final String SUBCOMMAND = "label";
  public static final String MERGE_SUBCOMMAND = "label-merge";
  public static final String TASK_FILES = "--task-files";
  public static final String TOP_P = "--top-p";
  public static final String SEED = "--seed";
  public static final String SHARD = "--shard";
  public static final String SHARDS = "--shards";
  /**
   * The pod's completion index in an Indexed Job: the Job controller sets the container variable
   * JOB_COMPLETION_INDEX, and Kubernetes expands {@code $(VAR)} references to container variables
   * in args before the worker starts, so the worker parses a number.
   */
  public static final String JOB_INDEX = "$(JOB_COMPLETION_INDEX)";

  public LabelShardCommand {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(output, "output");
    taskFiles = List.copyOf(taskFiles);
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
    if (taskFiles.isEmpty()) {
      throw new IllegalArgumentException("taskFiles must not be empty");
    }
    if (shards < 1 || shard != null && (shard < 0 || shard >= shards)) {
      throw new IllegalArgumentException("shard must be in 0.." + (shards - 1) + ", got " + shard + " of " + shards);
    }
  }

  public List<String> toArgs() {
    List<String> args = new ArrayList<>(List.of(SUBCOMMAND, WorkerCommand.CHECKPOINT, checkpoint, TASK_FILES,
        String.join(",", taskFiles)));
    if (!tasks.isEmpty()) {
      args.addAll(List.of(WorkerCommand.TASKS, String.join(",", tasks)));
    }
    args.addAll(List.of(WorkerCommand.OUTPUT, output, WorkerCommand.SAMPLES, Integer.toString(samples),
        WorkerCommand.TEMPERATURE, Double.toString(temperature), TOP_P, Double.toString(topP),
        WorkerCommand.MAX_NEW_TOKENS, Integer.toString(maxNewTokens), SEED, Long.toString(seed),
        SHARD, shard == null ? JOB_INDEX : Integer.toString(shard), SHARDS, Integer.toString(shards)));
    WorkerCommand.addIfSet(args, WorkerCommand.DEVICE, device);
    WorkerCommand.addIfSet(args, WorkerCommand.DTYPE, dtype);
    WorkerCommand.addIfSet(args, WorkerCommand.BATCH_SIZE, batchSize);
    return args;
  }

  /** {@code foresight label-merge} of this run's shards into {@link #output()}. */
  public List<String> mergeArgs() {
    return List.of(MERGE_SUBCOMMAND, WorkerCommand.OUTPUT, output, SHARDS, Integer.toString(shards));
  }
}
