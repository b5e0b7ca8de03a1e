package dev.foresight.worker.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.foresight.worker.model.ArrayLength;
import dev.foresight.worker.model.AttentionMask;
import dev.foresight.worker.model.CausalLm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Batched prefill over a prompt set: prompts sorted by length (longest first, so the peak memory
 * shows in the first batch), right-padded, one forward per batch inside its own NDScope; hidden
 * states of the requested layers at the requested positions, and continuation log-probabilities.
 * Results come back in the caller's order.
 */
public final class Prefill {

  /**
   * Most logits computed at once when scoring continuations: 16 M floats (64 MiB, about three times
   * that with the softmax's temporaries). A batch's gold answers at a 150k vocabulary would
   * otherwise take rows × 150k floats in one piece: 80 GB at 131k answer tokens.
   */
  static final long MAX_LOGITS = 1L << 24;

  private final CausalLm model;
  private final long maxLogits;

  public Prefill(CausalLm model) {
    this(model, MAX_LOGITS);
  }

  /** @param maxLogits most logits scored at once (the rows of a chunk times the vocabulary) */
  Prefill(CausalLm model, long maxLogits) {
    this.model = model;
    this.maxLogits = maxLogits;
  }

  /** Runs every prompt and collects the results in the caller's order. */
  public List<PromptStates> run(List<PromptTokens> prompts, PrefillOptions options, Progress progress) {
    PromptStates[] results = new PromptStates[prompts.size()];
    stream(prompts, options, progress, (i, states) -> results[i] = states);
    return Arrays.asList(results);
  }

  /** Runs every prompt, handing each result to {@code sink} with its index in {@code prompts}. */
  public void stream(List<PromptTokens> prompts, PrefillOptions options, Progress progress,
      BiConsumer<Integer, PromptStates> sink) {
    int numLayers = model.config().numLayers();
    for (int layer : options.layers()) {
      if (layer < 0 || layer > numLayers) {
        throw new IllegalArgumentException("layer " + layer + " is out of range: this model has hidden states 0.."
            + numLayers + " (0 = embeddings, " + numLayers + " = after the final norm)");
      }
    }
    if (options.pooling().readsAnswer()) {
      for (int i = 0; i < prompts.size(); i++) {
        if (prompts.get(i).continuation().length == 0) {
          throw new IllegalArgumentException("pooling " + options.pooling().cliName() + " reads the gold answer after"
              + " each prompt, and prompt " + i + " has none");
        }
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt((Integer i) -> prompts.get(i).length()).reversed());
    int batchSize = batchSizeFor(prompts, options);
    long done = 0;
    for (int start = 0; start < order.size(); start += batchSize) {
      List<Integer> batch = order.subList(start, Math.min(order.size(), start + batchSize));
      List<PromptStates> out = runBatch(batch.stream().map(prompts::get).toList(), options);
      for (int j = 0; j < batch.size(); j++) {
        sink.accept(batch.get(j), out.get(j));
      }
      done += batch.size();
      progress.update(done, prompts.size());
    }
  }

  /**
   * The batch size {@link #run} uses for {@code prompts}: the one asked for, or with
   * {@link BatchPlan#FROM_FREE_MEMORY} the largest that fits free device memory now for the longest
   * prompt ({@link BatchPlan#DEFAULT} on the CPU).
   */
  public int batchSizeFor(List<PromptTokens> prompts, PrefillOptions options) {
    if (options.batchSize() != BatchPlan.FROM_FREE_MEMORY || prompts.isEmpty()) {
      return Math.max(1, options.batchSize());
    }
    int longest = prompts.stream().mapToInt(PromptTokens::length).max().orElseThrow();
    return planBatch(longest, prompts.size(), options);
  }

  /** The largest batch of prompts up to {@code longest} tokens that fits the device's free memory now. */
  private int planBatch(int longest, int prompts, PrefillOptions options) {
    if (!model.manager().getDevice().isGpu()) {
      return BatchPlan.DEFAULT;
    }
    BatchPlan plan = new BatchPlan(model.config(), model.dtype().getNumOfBytes(), longest, options.layers().size(),
        options.pooling().reduction() == Pooling.Reduction.EVERY);
    // Split over GPUs, each holds one layer's working set at a time: the fullest one decides.
    long free = model.plan().devices().stream().distinct().mapToLong(TorchEngine::freeBytes).min().orElseThrow();
    return plan.batchSize(free, prompts);
  }

  private List<PromptStates> runBatch(List<PromptTokens> batch, PrefillOptions options) {
    int b = batch.size();
    int t = batch.stream().mapToInt(PromptTokens::length).max().orElseThrow();
    int d = model.config().hiddenSize();
    // padding id 0: any id will do, no real token ever sees it
    long[] ids = new long[ArrayLength.of("prefill token ids [prompts × tokens] (lower the batch size)", b, t)];
    int[] promptLengths = new int[b];
    int[] continuationLengths = new int[b];
    for (int i = 0; i < b; i++) {
      PromptTokens p = batch.get(i);
      promptLengths[i] = p.prompt().length;
      continuationLengths[i] = p.continuation().length;
      for (int j = 0; j < p.prompt().length; j++) {
        ids[i * t + j] = p.prompt()[j];
      }
      for (int j = 0; j < p.continuation().length; j++) {
        ids[i * t + p.prompt().length + j] = p.continuation()[j];
      }
    }
    List<Map<Integer, float[]>> states = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      states.add(new HashMap<>());
    }
    float[][] logProbs = new float[b][];
    double[] samplerLogProbs = new double[b];
    Arrays.fill(samplerLogProbs, Double.NaN);
    try (NDScope scope = new NDScope()) {
      NDManager m = model.manager();
      NDArray input = m.create(ids, new Shape(b, t));
      NDArray positions = m.arange(0, t).toType(DataType.INT64, false).expandDims(0).repeat(0, b);
      Set<Integer> keep = new HashSet<>(options.layers());
      CausalLm.Output out = model.forward(input, positions, AttentionMask.causal(t), keep, null);
      for (int layer : options.layers()) {
        NDArray h = out.hiddenStates().get(layer);
        float[][] pooled = pool(h.toType(DataType.FLOAT32, false), promptLengths, continuationLengths,
            options.pooling(), t, d);
        for (int i = 0; i < b; i++) {
          states.get(i).put(layer, pooled[i]);
        }
      }
      if (options.continuationLogProbs()) {
        continuationLogProbs(out.lastHidden(), batch, t, options.sampler(), logProbs, samplerLogProbs);
      }
      scope.suppressNotUsedWarning();
    }
    List<PromptStates> result = new ArrayList<>();
    for (int i = 0; i < b; i++) {
      result.add(new PromptStates(promptLengths[i], d, states.get(i), logProbs[i] == null ? new float[0] : logProbs[i],
          samplerLogProbs[i]));
    }
    return result;
  }

  /** Each row's span of positions, reduced as {@code pooling} says: [rows][positions × d]. */
  private static float[][] pool(NDArray h, int[] promptLengths, int[] continuationLengths, Pooling pooling, int t, int d) {
    int b = promptLengths.length;
    int[] from = new int[b];
    int[] to = new int[b];
    for (int i = 0; i < b; i++) {
      from[i] = pooling.spanStart(promptLengths[i]);
      to[i] = pooling.spanEnd(promptLengths[i], continuationLengths[i]);
    }
    float[][] out = new float[b][];
    if (pooling.reduction() != Pooling.Reduction.EVERY) {
      ArrayLength.of("pooled states [prompts × hidden] (lower the batch size)", b, d);
    }
    switch (pooling.reduction()) {
      case LAST -> {
        long[] rows = new long[b];
        for (int i = 0; i < b; i++) {
          rows[i] = (long) i * t + to[i] - 1;
        }
        float[] picked = h.reshape(b * (long) t, d).get(new NDIndex("{}", onDeviceOf(h, h.getManager().create(rows))))
            .toFloatArray();
        for (int i = 0; i < b; i++) {
          out[i] = Arrays.copyOfRange(picked, i * d, (i + 1) * d);
        }
      }
      case MEAN -> {
        float[] weights = new float[ArrayLength.of("pooling weights [prompts × tokens] (lower the batch size)", b, t)];
        for (int i = 0; i < b; i++) {
          for (int j = from[i]; j < to[i]; j++) {
            weights[i * t + j] = 1f / (to[i] - from[i]);
          }
        }
        NDArray w = onDeviceOf(h, h.getManager().create(weights, new Shape(b, t, 1)));
        float[] means = h.mul(w).sum(new int[] {1}).toFloatArray();
        for (int i = 0; i < b; i++) {
          out[i] = Arrays.copyOfRange(means, i * d, (i + 1) * d);
        }
      }
      case EVERY -> {
        // Row by row: a whole batch [prompts × tokens × hidden] passes one array's 2^31 long before a row does.
        for (int i = 0; i < b; i++) {
          ArrayLength.of("every position's state of one prompt [tokens × hidden]", to[i] - from[i], d);
          out[i] = h.get(new NDIndex("{}, {}:{}", i, from[i], to[i])).toFloatArray();
        }
      }
      default -> throw new AssertionError(pooling);
    }
    return out;
  }

  /**
   * {@code made} on {@code states}' device. In a model split over devices a hidden state lives on its
   * layer's device while its manager (the model's) makes arrays on the first one.
   */
  private static NDArray onDeviceOf(NDArray states, NDArray made) {
    return made.toDevice(states.getDevice(), false);
  }

  /**
   * log p(continuation[j] | prompt, continuation[..j]) from the logits one position earlier, and with a
   * sampler its log-probability of the whole continuation followed by an end token.
   */
  private void continuationLogProbs(NDArray lastHidden, List<PromptTokens> batch, int t, SamplerView sampler,
      float[][] logProbs, double[] samplerLogProbs) {
    List<Long> rows = new ArrayList<>();
    List<Long> targets = new ArrayList<>();
    List<Long> endRows = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      PromptTokens p = batch.get(i);
      for (int j = 0; j < p.continuation().length; j++) {
        rows.add((long) i * t + p.prompt().length - 1 + j);
        targets.add((long) p.continuation()[j]);
      }
      // The last token's logits say whether the sequence ends there.
      endRows.add((long) i * t + p.length() - 1);
    }
    NDArray flat = lastHidden.reshape((long) batch.size() * t, model.config().hiddenSize());
    long[] rowIndex = rows.stream().mapToLong(Long::longValue).toArray();
    long[] targetIds = targets.stream().mapToLong(Long::longValue).toArray();
    float[][] scored = score(flat, rowIndex, targetIds, sampler);
    float[] ends = sampler == null ? null : endLogProbs(flat, endRows.stream().mapToLong(Long::longValue).toArray(), sampler);
    int k = 0;
    for (int i = 0; i < batch.size(); i++) {
      int c = batch.get(i).continuation().length;
      if (sampler != null) {
        double sum = ends[i];
        for (int j = 0; j < c; j++) {
          sum += scored[1][k + j];
        }
        samplerLogProbs[i] = sum;
      }
      if (c > 0) {
        logProbs[i] = Arrays.copyOfRange(scored[0], k, k + c);
        k += c;
      }
    }
  }

  /**
   * Each row's log softmax(logits)[target] and, with a sampler, log softmax(logits / T)[target]: one
   * projection to the vocabulary per chunk of {@link #maxLogits} logits serves both.
   *
   * @return {plain, tempered}; tempered is null without a sampler
   */
  private float[][] score(NDArray flat, long[] rowIndex, long[] targetIds, SamplerView sampler) {
    float[] plain = new float[rowIndex.length];
    float[] tempered = sampler == null ? null : new float[rowIndex.length];
    int chunk = chunkRows(rowIndex.length);
    for (int from = 0; from < rowIndex.length; from += chunk) {
      int to = Math.min(rowIndex.length, from + chunk);
      // Each chunk's logits are freed before the next one's are made.
      try (NDScope scope = new NDScope()) {
        NDArray logits = logits(flat, Arrays.copyOfRange(rowIndex, from, to));
        NDArray target = onDeviceOf(logits, flat.getManager().create(Arrays.copyOfRange(targetIds, from, to),
            new Shape(to - from, 1)));
        System.arraycopy(logits.logSoftmax(-1).gather(target, 1).toFloatArray(), 0, plain, from, to - from);
        if (sampler != null) {
          System.arraycopy(logits.div((float) sampler.temperature()).logSoftmax(-1).gather(target, 1).toFloatArray(), 0,
              tempered, from, to - from);
        }
        scope.suppressNotUsedWarning();
      }
    }
    return new float[][] {plain, tempered};
  }

  /** log Σ over the end tokens of the sampler's probability, at each row. */
  private float[] endLogProbs(NDArray flat, long[] rowIndex, SamplerView sampler) {
    long[] ends = sampler.endTokens().stream().mapToLong(Integer::longValue).sorted().toArray();
    float[] values = new float[rowIndex.length];
    int chunk = chunkRows(rowIndex.length);
    for (int from = 0; from < rowIndex.length; from += chunk) {
      int to = Math.min(rowIndex.length, from + chunk);
      try (NDScope scope = new NDScope()) {
        NDArray logq = logits(flat, Arrays.copyOfRange(rowIndex, from, to)).div((float) sampler.temperature())
            .logSoftmax(-1);
        long[] columns = new long[(to - from) * ends.length];
        for (int r = 0; r < to - from; r++) {
          System.arraycopy(ends, 0, columns, r * ends.length, ends.length);
        }
        NDArray index = onDeviceOf(logq, flat.getManager().create(columns, new Shape(to - from, ends.length)));
        System.arraycopy(logq.gather(index, 1).exp().sum(new int[] {1}).log().toFloatArray(), 0, values, from, to - from);
        scope.suppressNotUsedWarning();
      }
    }
    return values;
  }

  /** The logits [rows, vocabulary] at {@code rows} of {@code flat}, as float32. */
  private NDArray logits(NDArray flat, long[] rows) {
    NDArray picked = flat.get(new NDIndex("{}", onDeviceOf(flat, flat.getManager().create(rows))));
    return model.logits(picked).toType(DataType.FLOAT32, false);
  }

  private int chunkRows(int rows) {
    return (int) Math.max(1, Math.min(rows, maxLogits / Math.max(1, model.config().vocabSize())));
  }
}
