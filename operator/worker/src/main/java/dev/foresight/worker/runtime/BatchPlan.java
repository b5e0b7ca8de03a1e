package dev.foresight.worker.runtime;

import dev.foresight.worker.WorkerException;
import dev.foresight.worker.checkpoint.ModelConfig;
import java.util.Locale;

/**
 * How many prompts one prefill forward pass takes on a device with a given amount of free memory:
 * the largest batch whose activations fit, after a safety margin.
 *
 * <p>The estimate follows {@link dev.foresight.worker.model.CausalLm#forward}: the layers run one at
 * a time and each layer's intermediates are freed when it is done, so a batch holds one layer's
 * working set plus the hidden states the probe keeps (each with its float32 copy for pooling, and
 * for every-position pooling a second float32 copy of the rows read). A layer's working set counts
 * every array the layer makes, per token: the residual stream in and out, the two RMSNorms (a
 * float32 input and output, then the model dtype and the weighted product), q/k/v, the rotary
 * temporaries of q and k (4 arrays each), the grouped KV heads repeated to all heads, the attention
 * output (its matmul and its contiguous transpose), the o projection and the residual add; the MLP's
 * gate, up, activation (2 arrays) and product, its down projection and add; and per query token the
 * scores over T keys: three float32 arrays (widened, biased, softmax) and three in the model dtype
 * (product, scaled, narrowed back). Scoring gold answers adds at most {@link Prefill#MAX_LOGITS}
 * logits at a time (dtype, float32 and two float32 softmax temporaries). The GPU run measures the
 * peak, which is what this estimate must stay above.
 *
 * @param config the model
 * @param dtypeBytes bytes per element of the model's dtype (4, or 2 for float16/bfloat16)
 * @param maxTokens the longest prompt with its answer, in tokens
 * @param keptLayers how many hidden states the probe reads
 * @param everyPosition whether the probe reads every position (the attention probe)
 */
public record BatchPlan(ModelConfig config, int dtypeBytes, int maxTokens, int keptLayers, boolean everyPosition) {

  /** Batch size that asks for a plan from the device's free memory instead of a fixed number. */
  public static final int FROM_FREE_MEMORY = 0;

  /** Prompts per batch where nothing is planned: the CPU, and generation. */
  public static final int DEFAULT = 32;

  /** Held back from the free memory: PyTorch's caching allocator fragments, and CUDA libraries take workspaces. */
  static final double MARGIN = 0.10;

  /** Held back besides the margin: cuBLAS workspaces, the RoPE tables, the mask, the ids. */
  static final long RESERVE = 1L << 30;

  public BatchPlan {
    if (dtypeBytes != 2 && dtypeBytes != 4) {
      throw new IllegalArgumentException("dtypeBytes must be 2 or 4, not " + dtypeBytes);
    }
    if (maxTokens < 1 || keptLayers < 0) {
      throw new IllegalArgumentException("maxTokens must be positive and keptLayers not negative: " + maxTokens
          + ", " + keptLayers);
    }
  }

  /** Bytes one layer's working set takes per token (excluding the T-long attention scores row). */
  long layerBytesPerToken() {
    long s = dtypeBytes;
    long d = config.hiddenSize();
    long q = (long) config.numHeads() * config.headDim();
    long kv = (long) config.numKvHeads() * config.headDim();
    long residual = 2 * d * s;
    long norms = 2 * d * (4 + 4 + s + s);
    long projections = (q + 2 * kv) * s;
    long rotary = 4 * (q + kv) * s;
    long grouped = config.numHeads() == config.numKvHeads() ? 0 : 2 * q * s;
    long attentionOut = 2 * q * s + d * s + d * s;
    long mlp = 5L * config.intermediateSize() * s + d * s + d * s;
    return residual + norms + projections + rotary + grouped + attentionOut + mlp;
  }

  /** Bytes of attention scores per token: heads × T keys × (3 float32 + 3 model-dtype arrays). */
  long scoreBytesPerToken() {
    return (long) config.numHeads() * maxTokens * (3 * 4 + 3L * dtypeBytes);
  }

  /** Bytes the kept hidden states take per token: each in the dtype, plus the float32 copies pooling reads. */
  long keptBytesPerToken() {
    long d = config.hiddenSize();
    long widened = dtypeBytes == 4 ? 0 : 4; // toType(FLOAT32) of a float32 array is the same array
    long rows = everyPosition ? 4 : 0;
    return keptLayers * d * (dtypeBytes + widened + rows);
  }

  /** Bytes one prompt of {@link #maxTokens} adds to a batch. */
  public long bytesPerPrompt() {
    return maxTokens * (layerBytesPerToken() + scoreBytesPerToken() + keptBytesPerToken());
  }

  /** Bytes a batch needs whatever its size: the gold-answer logits chunk. */
  public long fixedBytes() {
    return Prefill.MAX_LOGITS * (dtypeBytes + 3 * 4L);
  }

  /** What is left for a batch out of {@code freeBytes}, after the margin and the reserve. */
  public long usable(long freeBytes) {
    return (long) (freeBytes * (1 - MARGIN)) - RESERVE - fixedBytes();
  }

  /**
   * The largest batch that fits in {@code freeBytes} (free device memory once the weights are on
   * it), at most {@code prompts}.
   *
   * @throws WorkerException (exit 2) when not even one prompt fits, naming the sizes
   */
  public int batchSize(long freeBytes, int prompts) {
    long usable = usable(freeBytes);
    long per = bytesPerPrompt();
    long fits = usable <= 0 ? 0 : usable / per;
    if (fits < 1) {
      throw WorkerException.invalidArguments(String.format(Locale.ROOT,
          "batch size: one prompt of %d tokens needs %.2f GiB of activations (hidden %d, %d heads, MLP %d, %d-byte"
              + " dtype, %d kept layer(s)%s) but %.2f GiB are free on the device, %.2f GiB after a %.0f%% margin,"
              + " %.2f GiB reserved and %.2f GiB for answer logits: use a GPU with more memory, a shorter prompt,"
              + " float16/bfloat16, or several GPUs (runtime.gpus)",
          maxTokens, gib(per), config.hiddenSize(), config.numHeads(), config.intermediateSize(), dtypeBytes, keptLayers,
          everyPosition ? " at every position" : "", gib(freeBytes), gib(Math.max(0, usable)), MARGIN * 100,
          gib(RESERVE), gib(fixedBytes())));
    }
    return (int) Math.max(1, Math.min(fits, Math.max(1, prompts)));
  }

  /** Bytes of KV cache one generated sequence holds at {@code capacity} tokens: keys and values of every layer. */
  public long kvCacheBytes(int capacity) {
    return (long) capacity * config.numLayers() * 2L * config.numKvHeads() * config.headDim() * dtypeBytes;
  }

  /**
   * Sequences (prompts × samples) one generation batch can decode in {@code freeBytes}: each holds
   * its KV cache at {@code capacity} tokens and its share of the prompt's prefill ({@link #maxTokens}
   * long, no states kept), at most {@code sequences}.
   *
   * @throws WorkerException (exit 2) when not even one sequence fits
   */
  public int generationRows(long freeBytes, int capacity, int sequences) {
    long per = bytesPerPrompt() + kvCacheBytes(capacity);
    long usable = usable(freeBytes);
    long fits = usable <= 0 ? 0 : usable / per;
    if (fits < 1) {
      throw WorkerException.invalidArguments(String.format(Locale.ROOT, "generation batch: one sequence of %d tokens"
          + " needs %.2f GiB (KV cache %.2f GiB) but %.2f GiB are usable of %.2f GiB free", capacity, gib(per),
          gib(kvCacheBytes(capacity)), gib(Math.max(0, usable)), gib(freeBytes)));
    }
    return (int) Math.min(fits, Math.max(1, sequences));
  }

  private static double gib(long bytes) { return bytes / (double) (1L << 30); }
}
