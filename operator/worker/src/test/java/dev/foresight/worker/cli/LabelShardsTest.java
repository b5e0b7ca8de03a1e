package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.worker.LabelShardCommand;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.storage.S3ProxyServer;
import dev.foresight.worker.world.TestWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code foresight label --shard I --shards N} and {@code foresight label-merge} on the test world's
 * checkpoint, with a small prompt set (two tasks, 20 + 19 prompts) so each run takes seconds.
 */
class LabelShardsTest {
  private static final TestWorld WORLD = TestWorld.get();
  private static Path tasks;
  private static Path whole;

  /** Two of the world's tasks, cut to 20 and 19 prompts (39: no shard count used here divides it evenly). */
  @BeforeAll
  static void smallTasksAndTheirUnshardedLabels() throws IOException {
    Path dir = WORLD.scratch("label-shards");
    tasks = Files.createDirectories(dir.resolve("tasks"));
    List<Path> files;
    try (Stream<Path> s = Files.list(WORLD.tasksDir())) {
      files = s.filter(f -> f.toString().endsWith(".jsonl")).sorted().limit(2).toList();
    }
    int keep = 20;
    for (Path f : files) {
      Files.write(tasks.resolve(f.getFileName()), Files.readAllLines(f).subList(0, keep--));
    }
    whole = dir.resolve("whole.jsonl");
    Cli.run(label(whole.toString(), "--batch-size", "8")).expectSuccess();
  }

  static String[] label(String output, String... extra) {
    List<String> args = new ArrayList<>(List.of("label", "--checkpoint", WORLD.checkpoint(400).toString(),
        "--task-files", tasks.toString(), "--output", output, "--samples", "3", "--temperature", "0.8",
        "--max-new-tokens", "40", "--seed", "5"));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static String[] shard(String output, int index, int count, String... extra) {
    List<String> args = new ArrayList<>(List.of(label(output, extra)));
    args.addAll(List.of("--shard", String.valueOf(index), "--shards", String.valueOf(count)));
    return args.toArray(String[]::new);
  }

  private static Path shardFile(Path output, int index, int count) {
    return Path.of(output + ".shard-" + index + "-of-" + count);
  }

  @Test
  void twoOrThreeShardsMergeIntoTheUnshardedFileByteForByte() throws IOException {
    Path dir = WORLD.scratch("label-shards-merge");
    for (int count : new int[] {2, 3}) {
      Path merged = dir.resolve("merged-" + count + ".jsonl");
      int labelled = 0;
      for (int i = 0; i < count; i++) {
        // Each shard with another batch size: the samples depend on the prompt alone.
        Cli.run(shard(merged.toString(), i, count, "--batch-size", String.valueOf(1 + 3 * i))).expectSuccess();
        int lines = Files.readAllLines(shardFile(merged, i, count)).size() - 1;
        assertEquals(39 / count + (i < 39 % count ? 1 : 0), lines, "shard " + i + " of " + count + " holds its share");
        labelled += lines;
      }
      assertEquals(39, labelled);
      Cli.Run run = Cli.run("label-merge", "--output", merged.toString(), "--shards", String.valueOf(count))
          .expectSuccess();
      assertTrue(run.out().contains("39 prompts from " + count + " shards"), run.out());
      assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(merged), count + " shards merged");
    }
  }

  @Test
  void labelsDoNotDependOnTheBatchSize() throws IOException {
    Path one = WORLD.scratch("label-batch").resolve("batch-1.jsonl");
    Cli.run(label(one.toString(), "--batch-size", "1")).expectSuccess();
    assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(one), "batch 1 and batch 8 label alike");
    List<String> lines = Files.readAllLines(one);
    assertNotEquals(1, lines.subList(1, lines.size()).stream().map(l -> l.replaceAll(".*\"passed\":(\\d+).*", "$1"))
        .distinct().count(), "the labels are not all alike, so equal files say something");
  }

  @Test
  void aShardAppearsWholeWhenFinishedIsNotLabelledAgainAndAnotherRunsShardIsRefused() throws IOException {
    Path dir = WORLD.scratch("label-shards-retry");
    Path output = dir.resolve("labels.jsonl");
    Path reference = dir.resolve("reference.jsonl");
    Cli.run(shard(reference.toString(), 1, 2)).expectSuccess();

    // A pod stopped part-way (here by --stop-after): nothing at the shard's name yet.
    Cli.Run first = Cli.run(shard(output.toString(), 1, 2, "--stop-after", "1")).expectSuccess();
    assertTrue(first.out().contains("stopped early"), first.out());
    assertFalse(Files.exists(shardFile(output, 1, 2)), "an unfinished shard is not at its name");
    // The retry tears the work file's last line, as a kill mid-write would, then finishes: the shard is whole.
    Path work = dir.resolve(".labels.jsonl.shard-1-of-2.partial");
    Files.writeString(work, "{\"task\":\"ad", java.nio.file.StandardOpenOption.APPEND);
    Cli.run(shard(output.toString(), 1, 2)).expectSuccess();
    assertArrayEquals(Files.readAllBytes(shardFile(reference, 1, 2)), Files.readAllBytes(shardFile(output, 1, 2)));
    assertFalse(Files.exists(work), "the work file is gone once the shard is in place");

    Cli.Run again = Cli.run(shard(output.toString(), 1, 2));
    again.expectSuccess();
    assertTrue(again.out().contains("shard 1 of 2 is already labelled"), again.out());
    assertFalse(again.out().contains("prompts labelled now"), again.out());

    List<String> otherSeed = new ArrayList<>(List.of(shard(output.toString(), 1, 2)));
    otherSeed.set(otherSeed.indexOf("--seed") + 1, "6");
    Cli.Run refused = Cli.run(otherSeed.toArray(String[]::new));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), refused.exitCode());
    assertTrue(refused.err().contains("holds labels of another run"), refused.err());
  }

  @Test
  void theMergeRefusesMissingDuplicatedForeignAndUnfinishedShardsAndWritesNothing() throws IOException {
    Path dir = WORLD.scratch("label-shards-refused");
    Path output = dir.resolve("labels.jsonl");
    Files.writeString(output, "an older merge\n");
    Cli.run(shard(output.toString(), 0, 2)).expectSuccess();

    assertRefused(output, "1 of 2 label shards are missing: [1] (looked for " + shardFile(output, 1, 2));

    Files.copy(shardFile(output, 0, 2), shardFile(output, 1, 2));
    assertRefused(output, "holds shard 0 of 2, not shard 1 (a copy of another shard's file?)");

    Path otherSeed = dir.resolve("seed6.jsonl");
    List<String> args = new ArrayList<>(List.of(shard(otherSeed.toString(), 1, 2)));
    args.set(args.indexOf("--seed") + 1, "6");
    Cli.run(args.toArray(String[]::new)).expectSuccess();
    Files.copy(shardFile(otherSeed, 1, 2), shardFile(output, 1, 2), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertRefused(output, "belongs to another run than " + shardFile(output, 0, 2) + ": settings");

    Cli.run(shard(dir.resolve("three.jsonl").toString(), 1, 3)).expectSuccess();
    Files.copy(shardFile(dir.resolve("three.jsonl"), 1, 3), shardFile(output, 1, 2),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertRefused(output, "is shard 1 of 3, not of 2");

    Files.delete(shardFile(output, 1, 2));
    Cli.run(shard(output.toString(), 1, 2)).expectSuccess();
    List<String> good = Files.readAllLines(shardFile(output, 1, 2));
    Files.write(shardFile(output, 1, 2), good.subList(0, good.size() - 1));
    assertRefused(output, "holds 18 of its 19 prompts");

    Files.write(shardFile(output, 1, 2), good);
    Cli.run("label-merge", "--output", output.toString(), "--shards", "2").expectSuccess();
    assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(output), "once the shards are right, it merges");
  }

  @Test
  void shardsAndTheMergedFileLiveInS3() throws Exception {
    Path scratch = WORLD.scratch("label-shards-s3");
    try (S3ProxyServer server = new S3ProxyServer()) {
      server.blobStore().createContainerInLocation(null, "labels");
      String output = "s3://labels/run-1/step-400.jsonl";
      for (int i = 0; i < 2; i++) {
        ForesightProcess.Exit exit = ForesightProcess.run(server.env(), scratch, shard(output, i, 2));
        assertEquals(0, exit.code(), exit.output());
      }
      assertTrue(server.blobStore().blobExists("labels", "run-1/step-400.jsonl.shard-1-of-2"));
      ForesightProcess.Exit again = ForesightProcess.run(server.env(), scratch, shard(output, 0, 2));
      assertEquals(0, again.code(), again.output());
      assertTrue(again.output().contains("shard 0 of 2 is already labelled: " + output + ".shard-0-of-2"), again.output());

      ForesightProcess.Exit merge = ForesightProcess.run(server.env(), scratch, "label-merge", "--output", output,
          "--shards", "2");
      assertEquals(0, merge.code(), merge.output());
      byte[] merged = server.blobStore().getBlob("labels", "run-1/step-400.jsonl").getPayload().openStream().readAllBytes();
      assertArrayEquals(Files.readAllBytes(whole), merged, "merged in S3 = the unsharded run's file");

      server.blobStore().removeBlob("labels", "run-1/step-400.jsonl.shard-1-of-2");
      ForesightProcess.Exit missing = ForesightProcess.run(server.env(), scratch, "label-merge", "--output", output,
          "--shards", "2");
      assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), missing.code(), missing.output());
      assertTrue(missing.output().contains("1 of 2 label shards are missing: [1]"), missing.output());
      assertArrayEquals(merged, server.blobStore().getBlob("labels", "run-1/step-400.jsonl").getPayload().openStream()
          .readAllBytes(), "a refused merge leaves the merged object as it was");
    }
  }

  @Test
  void parsesExactlyWhatTheApiRenders() {
    LabelShardCommand command = new LabelShardCommand("s3://ckpts/run-1/step-400", List.of("s3://tasks/world", "x.jsonl"),
        List.of("add", "rev"), "s3://labels/run-1/step-400.jsonl", 8, 0.7, 0.95, 48, 11L, 2, 5, "cuda", "float16", 16);
    LabelCommand label = (LabelCommand) ForesightCli.commandLine().parseArgs(command.toArgs().toArray(String[]::new))
        .subcommand().commandSpec().userObject();
    assertEquals("s3://ckpts/run-1/step-400", label.checkpoint);
    assertEquals(List.of("s3://tasks/world", "x.jsonl"), label.tasks.taskFiles);
    assertEquals(List.of("add", "rev"), label.tasks.tasks);
    assertEquals("s3://labels/run-1/step-400.jsonl", label.output);
    assertEquals(List.of(8, 48, 11L, 2, 5, 16), List.of(label.samples, label.maxNewTokens, label.seed,
        label.sharding.shard, label.sharding.shards, label.runtime.batchSize()));
    assertEquals(0.7, label.temperature);
    assertEquals(0.95, label.topP);

    LabelMergeCommand merge = (LabelMergeCommand) ForesightCli.commandLine()
        .parseArgs(command.mergeArgs().toArray(String[]::new)).subcommand().commandSpec().userObject();
    assertEquals("s3://labels/run-1/step-400.jsonl", merge.output);
    assertEquals(5, merge.shards);
  }

  private static void assertRefused(Path output, String why) throws IOException {
    Cli.Run run = Cli.run("label-merge", "--output", output.toString(), "--shards", "2");
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode(), run.out());
    assertTrue(run.err().contains(why), run.err());
    assertTrue(run.err().contains("nothing was merged"), run.err());
    assertEquals("an older merge\n", Files.readString(output), "the merged file is left as it was");
  }
}
