package dev.foresight.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.foresight.worker.checkpoint.Family;
import dev.foresight.worker.checkpoint.ModelConfig;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ForwardPassTest {

  private static NDManager manager;

  @BeforeAll
  static void engine() { manager = NDManager.newBaseManager(); }

  @AfterAll
  static void close() { manager.close(); }

  private static final long[] TOKENS = {1, 7, 12, 33, 4, 9, 21, 45, 3, 17};

  private static NDArray positions(NDManager m, int b, int t) {
    return m.arange(0, t).toType(DataType.INT64, false).expandDims(0).repeat(0, b);
  }

  private static float[] run(CausalLm model, long[][] rows) {
    int b = rows.length;
    int t = rows[0].length;
    long[] flat = new long[b * t];
    for (int i = 0; i < b; i++) {
      System.arraycopy(rows[i], 0, flat, i * t, t);
    }
    try (NDManager m = manager.newSubManager()) {
      NDArray ids = m.create(flat, new Shape(b, t));
      return model.logits(model.forward(ids, positions(m, b, t), AttentionMask.causal(t), Set.of(), null).lastHidden())
          .toFloatArray();
    }
  }

  private static float maxAbsDiff(float[] a, int aFrom, float[] b, int bFrom, int n) {
    float max = 0;
    for (int i = 0; i < n; i++) {
      max = Math.max(max, Math.abs(a[aFrom + i] - b[bFrom + i]));
    }
    return max;
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void changingATokenChangesNothingBeforeIt(Family family) throws Exception {
    try (CausalLm model = TinyModels.model(family, manager, 11)) {
      int v = model.config().vocabSize();
      long[] changed = TOKENS.clone();
      changed[6] = 40;
      float[] a = run(model, new long[][] {TOKENS});
      float[] b = run(model, new long[][] {changed});
      assertEquals(0f, maxAbsDiff(a, 0, b, 0, 6 * v), "positions before the change must not move");
      assertTrue(maxAbsDiff(a, 6 * v, b, 6 * v, v) > 1e-3, "the changed position itself must move");
    }
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void aPromptDoesNotDependOnItsNeighboursOrPadding(Family family) throws Exception {
    try (CausalLm model = TinyModels.model(family, manager, 12)) {
      int v = model.config().vocabSize();
      long[] shortPrompt = {1, 9, 30, 2, 5, 0, 0, 0, 0, 0}; // 5 real tokens, then padding
      float[] alone = run(model, new long[][] {java.util.Arrays.copyOf(shortPrompt, 5)});
      float[] batched = run(model, new long[][] {TOKENS, shortPrompt});
      float diff = maxAbsDiff(alone, 0, batched, 10 * v, 5 * v);
      assertTrue(diff < 1e-5, "short prompt changed by " + diff + " when batched and padded");
    }
  }

  @ParameterizedTest
  @EnumSource(Family.class)
  void kvCacheGivesTheLogitsOfRecomputingTheWholeSequence(Family family) throws Exception {
    try (CausalLm model = TinyModels.model(family, manager, 13)) {
      int v = model.config().vocabSize();
      int t = TOKENS.length;
      float[] full = run(model, new long[][] {TOKENS});
      try (NDManager m = manager.newSubManager(); KvCache cache = model.newCache(m, 1, 16)) {
        int prefix = 4;
        boolean[][] valid = {new boolean[16]};
        java.util.Arrays.fill(valid[0], true);
        NDArray ids = m.create(java.util.Arrays.copyOf(TOKENS, prefix), new Shape(1, prefix));
        NDArray first = model.logits(model.forward(ids, positions(m, 1, prefix),
            AttentionMask.padded(0, prefix, valid), Set.of(), cache).lastHidden());
        assertTrue(maxAbsDiff(first.toFloatArray(), 0, full, 0, prefix * v) < 1e-4);
        for (int step = prefix; step < t; step++) {
          NDArray one = m.create(new long[] {TOKENS[step]}, new Shape(1, 1));
          NDArray pos = m.create(new long[] {step}, new Shape(1, 1));
          float[] logits = model.logits(model.forward(one, pos, AttentionMask.padded(step, 1, valid), Set.of(), cache)
              .lastHidden()).toFloatArray();
          float diff = maxAbsDiff(logits, 0, full, step * v, v);
          assertTrue(diff <= 1e-4, "step " + step + " differs by " + diff);
        }
        assertEquals(t, cache.length());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Family.class, names = {"LLAMA", "OLMO2"})
  void groupedQueryAttentionEqualsFullAttentionWithSharedHeads(Family family) throws Exception {
    // A GQA model (2 KV heads for 4 query heads) must equal the multi-head model whose KV heads
    // 2g and 2g+1 are both copies of GQA head g.
    try (CausalLm gqa = TinyModels.model(family, manager, 14)) {
      ModelConfig c = gqa.config();
      ModelConfig mha = new ModelConfig(c.family(), c.vocabSize(), c.hiddenSize(), c.intermediateSize(), c.numLayers(),
          c.numHeads(), c.numHeads(), c.headDim(), c.rmsNormEps(), c.maxPositionEmbeddings(), c.tieWordEmbeddings(),
          false, false, c.slidingWindow(), c.slidingLayers(), c.fullRope(), c.slidingRope(), 1, c.eosTokenIds(), "float32");
      java.util.Map<String, NDArray> weights = new java.util.HashMap<>(gqa.parameters());
      int hd = c.headDim();
      for (int l = 0; l < c.numLayers(); l++) {
        for (String p : new String[] {"k_proj.weight", "v_proj.weight", "k_norm.weight"}) {
          String name = "model.layers." + l + ".self_attn." + p;
          NDArray w = weights.get(name);
          if (w == null) {
            continue;
          }
          // [kvHeads*hd, ...] → [kvHeads, hd, ...] → repeat each head → [heads*hd, ...]
          NDArray heads = w.reshape(new Shape(c.numKvHeads(), hd).addAll(w.getShape().slice(1)));
          weights.put(name, heads.repeat(0, c.numHeads() / c.numKvHeads())
              .reshape(new Shape(c.numHeads() * hd).addAll(w.getShape().slice(1))));
        }
      }
      NDManager m = manager.newSubManager();
      try (CausalLm full = new CausalLm(mha, new MapWeights(weights), m, DataType.FLOAT32)) {
        float[] a = run(gqa, new long[][] {TOKENS});
        float[] b = run(full, new long[][] {TOKENS});
        assertTrue(maxAbsDiff(a, 0, b, 0, a.length) < 1e-5);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = Family.class, names = {"MISTRAL"})
  void slidingWindowHidesTokensOutsideIt(Family family) throws Exception {
    // Window 4 on each of 3 layers: a position sees at most 3 tokens back per layer, 9 in all.
    try (CausalLm model = TinyModels.model(family, manager, 15)) {
      int v = model.config().vocabSize();
      long[] changed = TOKENS.clone();
      changed[0] = 44;
      float[] a = run(model, new long[][] {TOKENS});
      float[] b = run(model, new long[][] {changed});
      assertTrue(maxAbsDiff(a, 9 * v, b, 9 * v, v) > 0, "token 0 is 9 back from position 9: still in reach");
      long[] longer = new long[14];
      for (int i = 0; i < 14; i++) {
        longer[i] = TOKENS[i % TOKENS.length];
      }
      long[] longerChanged = longer.clone();
      longerChanged[0] = 44;
      float[] c = run(model, new long[][] {longer});
      float[] d = run(model, new long[][] {longerChanged});
      assertEquals(0f, maxAbsDiff(c, 10 * v, d, 10 * v, 4 * v), "positions 10..13 are out of reach of token 0");
    }
  }
}
