package dev.foresight.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.checkpoint.ModelConfig;
import org.junit.jupiter.api.Test;

/** The planner's arithmetic against sums worked out by hand (the comments show them). */
class BatchPlanTest {

  private static final long GIB = 1L << 30;
  /** Llama-2-7B's shape: vocab 32000, hidden 4096, MLP 11008, 32 layers, 32 heads (no GQA). */
  private static final ModelConfig LLAMA_7B = ModelConfig.llama(32000, 4096, 11008, 32, 32, 32, 4096, 1, 2);
  /** 2 × 32000 × 4096 (embeddings, head) + 32 × (4 × 4096² + 3 × 4096 × 11008) + 65 × 4096 (norms). */
  private static final long LLAMA_7B_PARAMETERS = 6_738_415_616L;

  @Test
  void aTinyModelByHand() {
    // hidden 8, MLP 16, 2 heads of 4, 1 KV head, float32, 4 tokens, 1 layer kept at every position.
    BatchPlan plan = new BatchPlan(ModelConfig.llama(10, 8, 16, 1, 2, 1, 64, 1, 2), 4, 4, 1, true);
    // residual 2·8·4 = 64, norms 2·8·(4+4+4+4) = 256, q/k/v (8+2·4)·4 = 64, rotary 4·(8+4)·4 = 192,
    // grouped KV 2·8·4 = 64, attention out 2·8·4 + 8·4 + 8·4 = 128, MLP 5·16·4 + 8·4 + 8·4 = 384: 1152
    assertEquals(1152, plan.layerBytesPerToken());
    assertEquals(2 * 4 * (12 + 12), plan.scoreBytesPerToken()); // heads × T × (3 float32 + 3 float32)
    assertEquals(8 * (4 + 0 + 4), plan.keptBytesPerToken()); // no widening copy of float32; the rows read
    assertEquals(4 * (1152 + 192 + 64), plan.bytesPerPrompt());
    assertEquals(Prefill.MAX_LOGITS * 16, plan.fixedBytes());
  }

  @Test
  void llama7bInBfloat16At256TokensOn80GbAndOn141Gb() {
    long weights = LLAMA_7B_PARAMETERS * 2;
    // Linear or mlp probe reading 2 layers: per token, layer 364,032 + scores 32·256·18 = 147,456
    // + kept 2·4096·(2+4) = 49,152 = 560,640 bytes; × 256 tokens = 143,523,840 bytes a prompt.
    BatchPlan linear = new BatchPlan(LLAMA_7B, 2, 256, 2, false);
    assertEquals(364_032, linear.layerBytesPerToken());
    assertEquals(143_523_840L, linear.bytesPerPrompt());
    // 80 GiB − 13,476,831,232 of weights = 72,422,514,688 free; × 0.9 − 1 GiB − 16 Mi·14 of logits
    // = 63,871,640,371 usable: 445 prompts (445.03).
    assertEquals(63_871_640_371L, linear.usable(80 * GIB - weights));
    assertEquals(445, linear.batchSize(80 * GIB - weights, 1000));
    // 141 GB (an H200): 113,462,229,043 usable, 790 prompts.
    assertEquals(790, linear.batchSize(141_000_000_000L - weights, 1000));
    assertEquals(100, linear.batchSize(141_000_000_000L - weights, 100), "never more than the prompts");
    // The attention probe reads one layer at every position: kept 4096·(2+4+4) = 40,960 a token.
    BatchPlan attention = new BatchPlan(LLAMA_7B, 2, 256, 1, true);
    assertEquals(256L * (364_032 + 147_456 + 40_960), attention.bytesPerPrompt());
    assertEquals(451, attention.batchSize(80 * GIB - weights, 1000));
    assertEquals(802, attention.batchSize(141_000_000_000L - weights, 1000));
  }

  @Test
  void generationRowsHoldTheirKvCaches() {
    long weights = LLAMA_7B_PARAMETERS * 2;
    BatchPlan prompt = new BatchPlan(LLAMA_7B, 2, 256, 0, false);
    // 512 tokens × 32 layers × (keys + values) × 32 KV heads × 128 × 2 bytes = 256 MiB a sequence,
    // + its prefill at 256 tokens, 256·(364,032 + 147,456) = 130,940,928: 399,376,384 bytes.
    assertEquals(268_435_456L, prompt.kvCacheBytes(512));
    assertEquals(159, prompt.generationRows(80 * GIB - weights, 512, 4000)); // 63,871,640,371 / 399,376,384
    assertEquals(16, prompt.generationRows(80 * GIB - weights, 512, 16));
    assertThrows(WorkerException.class, () -> prompt.generationRows(GIB, 512, 4));
  }

  @Test
  void whenNotOnePromptFitsItSaysWhyWithExitCode2() {
    // float32 7B at 4096 tokens: scores alone are 32·4096·24 = 3 MiB a token, 12 GiB of a 14.65 GiB prompt.
    BatchPlan plan = new BatchPlan(LLAMA_7B, 4, 4096, 2, false);
    long free = 16 * GIB;
    WorkerException e = assertThrows(WorkerException.class, () -> plan.batchSize(free, 10));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS, e.exitCode());
    assertTrue(e.getMessage().startsWith("batch size: one prompt of 4096 tokens needs 14.65 GiB of activations"
        + " (hidden 4096, 32 heads, MLP 11008, 4-byte dtype, 2 kept layer(s)) but 16.00 GiB are free"), e.getMessage());
    assertThrows(WorkerException.class, () -> plan.batchSize(GIB / 2, 10), "less than the reserve");
  }
}
