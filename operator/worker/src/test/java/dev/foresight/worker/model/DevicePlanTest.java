package dev.foresight.worker.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.foresight.worker.checkpoint.ModelConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicePlanTest {

  private static final ModelConfig LLAMA_7B = ModelConfig.llama(32000, 4096, 11008, 32, 32, 32, 4096, 1, 2);

  @Test
  void splitMinimisesTheLargestPartByHand() {
    // 5 blocks of 10 over 2 parts, 30 of embeddings on the first: 30+10 | 40 beats 30+20 | 30.
    assertArrayEquals(new int[] {0, 1}, DevicePlan.split(5, 2, 10, 30, 0));
    // With 25 of head on the last instead: 10·3 | 10·2 + 25 = 30 | 45 loses to 10·4 | 10 + 25 = 40 | 35.
    assertArrayEquals(new int[] {0, 4}, DevicePlan.split(5, 2, 10, 0, 25));
    assertArrayEquals(new int[] {0, 1, 2}, DevicePlan.split(3, 3, 10, 100, 100), "one block each, whatever the load");
  }

  @Test
  void llama7bOverTwoAndFourGpus() {
    // A block: 4096·(4096 + 2·4096) + 4096·4096 + 3·4096·11008 + 2·4096 parameters.
    assertEquals(202_383_360L, DevicePlan.blockParameters(LLAMA_7B));
    // Embeddings (131 M) on the first, norm + head (131 M) on the last: symmetric, 16 + 16.
    DevicePlan two = DevicePlan.balance(LLAMA_7B, List.of(Device.gpu(0), Device.gpu(1)));
    assertArrayEquals(new int[] {0, 16}, two.firstLayer());
    assertEquals(Device.gpu(0), two.of("model.embed_tokens.weight"));
    assertEquals(Device.gpu(0), two.of("model.layers.15.mlp.down_proj.weight"));
    assertEquals(Device.gpu(1), two.of("model.layers.16.self_attn.q_proj.weight"));
    assertEquals(Device.gpu(1), two.of("model.norm.weight"));
    assertEquals(Device.gpu(1), two.of("lm_head.weight"));
    assertEquals("gpu(0): blocks 0-15 + embeddings; gpu(1): blocks 16-31 + norm, head", two.toString());
    // Four: 8 blocks each (largest part 8 blocks + 0.65 of a block) beats 7/9/9/7 (9 blocks).
    DevicePlan four = DevicePlan.balance(LLAMA_7B, List.of(Device.gpu(0), Device.gpu(1), Device.gpu(2), Device.gpu(3)));
    assertArrayEquals(new int[] {0, 8, 16, 24}, four.firstLayer());
    assertEquals(Device.gpu(3), four.layer(31));
    assertEquals(Device.gpu(2), four.layer(16));
    assertTrue(four.split());
    assertFalse(DevicePlan.single(Device.gpu(0), 32).split());
  }

  @Test
  void impossiblePlansAreRefused() {
    List<Device> many = java.util.Collections.nCopies(4, Device.cpu());
    ModelConfig three = ModelConfig.llama(50, 32, 48, 3, 4, 2, 64, 1, 2);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DevicePlan.balance(three, many))
        .getMessage().contains("4 devices for 3 decoder blocks"));
    assertThrows(IllegalArgumentException.class, () -> new DevicePlan(List.of(Device.cpu(), Device.cpu()), new int[] {0, 0}, 3));
    assertThrows(IllegalArgumentException.class, () -> new DevicePlan(List.of(Device.cpu()), new int[] {1}, 3));
  }
}
