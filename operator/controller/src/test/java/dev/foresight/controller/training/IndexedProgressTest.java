package dev.foresight.controller.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.foresight.api.training.LabelShardIndex;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class IndexedProgressTest {

  @Test
  void readsTheJobControllersIndexLists() {
    assertEquals(List.of(0, 1, 2, 3, 5, 7, 8), List.copyOf(IndexedProgress.indexes("0-3,5,7-8")));
    assertEquals(List.of(), List.copyOf(IndexedProgress.indexes(null)));
    assertEquals(List.of(), List.copyOf(IndexedProgress.indexes("")));
    assertEquals(List.of(4), List.copyOf(IndexedProgress.indexes("x,4")), "an unreadable part counts as none");
  }

  @Test
  void shardsSplitAPromptSetAsTheWorkerDoesEveryNthPromptFromTheIth() {
    // 11 prompts in 3 shards: shard 0 takes 0,3,6,9; shard 1 takes 1,4,7,10; shard 2 takes 2,5,8.
    assertEquals(4, IndexedProgress.promptsOf(new LabelShardIndex(0, 0, 3), 11));
    assertEquals(4, IndexedProgress.promptsOf(new LabelShardIndex(0, 1, 3), 11));
    assertEquals(3, IndexedProgress.promptsOf(new LabelShardIndex(0, 2, 3), 11));
    assertEquals(0, IndexedProgress.promptsOf(new LabelShardIndex(0, 2, 3), 2), "more shards than prompts");
    assertEquals(11, IndexedProgress.promptsLabelled(new TreeSet<>(List.of(0, 1, 2)), 3, 11), "one whole checkpoint");
    assertEquals(22, IndexedProgress.promptsLabelled(new TreeSet<>(List.of(0, 1, 2, 3, 4, 5)), 3, 11));
  }
}
