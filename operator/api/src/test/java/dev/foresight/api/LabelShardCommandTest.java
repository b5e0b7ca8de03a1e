package dev.foresight.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.worker.LabelShardCommand;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelShardCommandTest {

  private static LabelShardCommand shard(Integer index, int count) {
    return new LabelShardCommand("pvc://ckpts/run/step-100", List.of("pvc://tasks/world"), null,
        "s3://labels/run/step-100.jsonl", 4, 0.6, 1.0, 64, 0L, index, count, null, null, null);
  }

  @Test
  void rendersOneShardAndTheMerge() {
    assertEquals(List.of("label", "--checkpoint", "pvc://ckpts/run/step-100", "--task-files", "pvc://tasks/world",
        "--output", "s3://labels/run/step-100.jsonl", "--samples", "4", "--temperature", "0.6", "--top-p", "1.0",
        "--max-new-tokens", "64", "--seed", "0", "--shard", "3", "--shards", "4"), shard(3, 4).toArgs());
    assertEquals(List.of("label-merge", "--output", "s3://labels/run/step-100.jsonl", "--shards", "4"),
        shard(3, 4).mergeArgs());
  }

  @Test
  void anUnsetShardIsThePodsIndexInAnIndexedJob() {
    List<String> args = shard(null, 8).toArgs();
    assertEquals("$(JOB_COMPLETION_INDEX)", args.get(args.indexOf("--shard") + 1));
  }

  @Test
  void aShardOutsideTheCountIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shard(4, 4));
    assertTrue(e.getMessage().contains("shard must be in 0..3, got 4 of 4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> shard(null, 0));
  }
}
