package dev.foresight.worker.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.foresight.worker.model.ArrayLength;
import dev.foresight.worker.model.AttentionMask;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.model.KvCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Generation with a KV cache: the prompts × samples sequences of a batch are left-padded, prefilled
 * once, then decoded one token per step (one NDScope per step). Greedy, or temperature/top-p
 * sampling where each sequence draws from its own random stream seeded by (prompt seed, sample),
 * so completions do not depend on how sequences were batched.
 */
public final class Generator {

  private final CausalLm model;
  private final Function<int[], String> decode;
  private final Set<Integer> eos;

  /**
   * @param decode turns generated ids into text (the checkpoint's tokenizer)
   * @param eos ids that end a sequence
   */
  public Generator(CausalLm model, Function<int[], String> decode, Set<Integer> eos) {
    this.model = model;
    this.decode = decode;
    this.eos = Set.copyOf(eos);
  }

  /** Per prompt, {@code options.samples()} completions. */
  public List<List<Completion>> generate(List<int[]> prompts, SamplingOptions options, Progress progress) {
    return generate(prompts, options, progress, new GenerationTiming());
  }

  /** {@link #generate(List, SamplingOptions, Progress)}, adding where the time went to {@code timing}. */
  public List<List<Completion>> generate(List<int[]> prompts, SamplingOptions options, Progress progress,
      GenerationTiming timing) {
    long[] seeds = new long[prompts.size()];
    for (int p = 0; p < seeds.length; p++) {
      seeds[p] = options.seed() * 1_000_003L + p * 7919L;
    }
    return generate(prompts, seeds, options, progress, timing);
  }

  /**
   * Per prompt, {@code options.samples()} completions, prompt {@code p}'s drawn from streams seeded
   * by {@code promptSeeds[p]} alone ({@code options.seed()} is not used): a caller that derives
   * each prompt's seed from the prompt itself gets the same completions whichever other prompts
   * share the call or the batch.
   */
  public List<List<Completion>> generate(List<int[]> prompts, long[] promptSeeds, SamplingOptions options,
      Progress progress, GenerationTiming timing) {
    if (promptSeeds.length != prompts.size()) {
      throw new IllegalArgumentException(promptSeeds.length + " seeds for " + prompts.size() + " prompts");
    }
    List<List<Completion>> result = new ArrayList<>();
    List<int[]> rows = new ArrayList<>(); // {prompt index, sample index}
    for (int p = 0; p < prompts.size(); p++) {
      result.add(new ArrayList<>());
      for (int s = 0; s < options.samples(); s++) {
        rows.add(new int[] {p, s});
      }
    }
    Completion[][] out = new Completion[prompts.size()][options.samples()];
    for (int start = 0; start < rows.size(); start += options.batchSize()) {
      List<int[]> batch = rows.subList(start, Math.min(rows.size(), start + options.batchSize()));
      long[] streams = batch.stream().mapToLong(r -> promptSeeds[r[0]] + r[1]).toArray();
      List<Completion> done = decodeBatch(batch.stream().map(r -> prompts.get(r[0])).toList(), streams, options, timing);
      for (int i = 0; i < batch.size(); i++) {
        out[batch.get(i)[0]][batch.get(i)[1]] = done.get(i);
      }
      progress.update(Math.min(rows.size(), start + options.batchSize()), rows.size());
    }
    for (int p = 0; p < prompts.size(); p++) {
      result.get(p).addAll(List.of(out[p]));
    }
    return result;
  }

  /** @param streams each sequence's random-stream seed */
  private List<Completion> decodeBatch(List<int[]> prompts, long[] streams, SamplingOptions options,
      GenerationTiming timing) {
    int b = prompts.size();
    int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
    int capacity = ArrayLength.of("KV cache slots [prompt + new tokens]", (long) longest + options.maxNewTokens());
    ArrayLength.of("padding mask [sequences × slots] (lower the batch size)", b, capacity);
    int[] pad = new int[b];
    boolean[][] keyValid = new boolean[b][capacity];
    long[] ids = new long[ArrayLength.of("prompt token ids [sequences × tokens] (lower the batch size)", b, longest)];
    long[] positions = new long[ids.length];
    for (int i = 0; i < b; i++) {
      int[] p = prompts.get(i);
      pad[i] = longest - p.length;
      for (int j = 0; j < capacity; j++) {
        keyValid[i][j] = j >= pad[i];
      }
      for (int j = 0; j < p.length; j++) {
        ids[i * longest + pad[i] + j] = p[j];
        positions[i * longest + pad[i] + j] = j;
      }
    }
    SplittableRandom[] random = new SplittableRandom[b];
    for (int i = 0; i < b; i++) {
      random[i] = new SplittableRandom(streams[i]);
    }
    List<List<Integer>> generated = new ArrayList<>();
    Completion[] finished = new Completion[b];
    for (int i = 0; i < b; i++) {
      generated.add(new ArrayList<>());
    }
    NDManager m = model.manager();
    try (KvCache cache = model.newCache(m, b, capacity)) {
      long[] next;
      long start = System.nanoTime();
      try (NDScope scope = new NDScope()) {
        NDArray input = m.create(ids, new Shape(b, longest));
        NDArray pos = m.create(positions, new Shape(b, longest));
        NDArray hidden = model.forward(input, pos, AttentionMask.padded(0, longest, keyValid), Set.of(), cache).lastHidden();
        next = pick(model.logits(hidden.get(new NDIndex(":, -1, :"))), options, random);
        scope.suppressNotUsedWarning();
      }
      timing.addPrefill(System.nanoTime() - start);
      for (int step = 0; ; step++) {
        int active = 0;
        for (int i = 0; i < b; i++) {
          if (finished[i] == null) {
            finished[i] = accept(generated.get(i), (int) next[i], options, step + 1 == options.maxNewTokens());
            active += finished[i] == null ? 1 : 0;
          }
        }
        if (active == 0) {
          break;
        }
        long[] stepPositions = new long[b];
        for (int i = 0; i < b; i++) {
          stepPositions[i] = longest - pad[i] + step;
        }
        start = System.nanoTime();
        try (NDScope scope = new NDScope()) {
          NDArray input = m.create(next, new Shape(b, 1));
          NDArray pos = m.create(stepPositions, new Shape(b, 1));
          NDArray hidden = model.forward(input, pos, AttentionMask.padded(longest + step, 1, keyValid), Set.of(), cache)
              .lastHidden();
          next = pick(model.logits(hidden.get(new NDIndex(":, -1, :"))), options, random);
          scope.suppressNotUsedWarning();
        }
        timing.addDecodeStep(System.nanoTime() - start, b);
      }
    }
    return List.of(finished);
  }

  /** Adds a token to a sequence; returns its completion if that ended it, else null. */
  private Completion accept(List<Integer> tokens, int token, SamplingOptions options, boolean last) {
    if (eos.contains(token)) {
      return new Completion(ids(tokens), decode.apply(ids(tokens)), Completion.Finish.EOS);
    }
    tokens.add(token);
    if (options.stopStrings().isEmpty() && !last) {
      return null; // nothing to check: skip decoding
    }
    String text = decode.apply(ids(tokens));
    int cut = -1;
    for (String stop : options.stopStrings()) {
      int at = text.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) {
        cut = at;
      }
    }
    if (cut >= 0) {
      return new Completion(ids(tokens), text.substring(0, cut), Completion.Finish.STOP_STRING);
    }
    return last ? new Completion(ids(tokens), text, Completion.Finish.LENGTH) : null;
  }

  private static int[] ids(List<Integer> tokens) {
    return tokens.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The next token of every sequence from its logits [B, V]. */
  private long[] pick(NDArray logits, SamplingOptions options, SplittableRandom[] random) {
    NDArray l = logits.toType(DataType.FLOAT32, false);
    if (options.greedyDecoding()) {
      return l.argMax(-1).toType(DataType.INT64, false).toLongArray();
    }
    NDManager m = l.getManager();
    // Constants go where the logits are: in a model split over GPUs that is the last GPU, while
    // the logits' manager (the model's) makes arrays on the first.
    Device on = l.getDevice();
    int b = (int) l.getShape().get(0);
    NDArray probs = l.div(m.create((float) options.temperature()).toDevice(on, false)).softmax(-1);
    NDArray order = probs.argSort(-1, false);
    NDArray sorted = probs.gather(order, 1);
    if (options.topP() < 1) {
      // Keep a token while the mass before it is below topP: the smallest nucleus reaching topP.
      NDArray before = sorted.cumSum(1).sub(sorted);
      sorted = sorted.mul(before.lt(m.create((float) options.topP()).toDevice(on, false)).toType(DataType.FLOAT32, false));
    }
    NDArray cumulative = sorted.cumSum(1);
    float[] u = new float[b];
    for (int i = 0; i < b; i++) {
      u[i] = (float) random[i].nextDouble();
    }
    NDArray threshold = m.create(u, new Shape(b, 1)).toDevice(on, false).mul(cumulative.get(new NDIndex(":, -1:")));
    NDArray choice = cumulative.lt(threshold).toType(DataType.INT64, false).sum(new int[] {1}, true)
        .clip(0, l.getShape().get(1) - 1);
    return order.gather(choice, 1).toType(DataType.INT64, false).toLongArray();
  }
}
