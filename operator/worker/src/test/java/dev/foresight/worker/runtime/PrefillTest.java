package dev.foresight.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.foresight.worker.checkpoint.Family;
import dev.foresight.worker.model.AttentionMask;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.model.TinyModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PrefillTest {

  private static NDManager manager;
  private static CausalLm model;

  @BeforeAll
  static void setUp() throws Exception {
    manager = NDManager.newBaseManager();
    model = TinyModels.model(Family.OLMO3, manager, 21);
  }

  @AfterAll
  static void tearDown() { manager.close(); }

  private static final List<PromptTokens> PROMPTS = List.of(
      new PromptTokens(new int[] {1, 5, 9}, new int[] {4, 4}),
      new PromptTokens(new int[] {1, 8, 7, 6, 5, 4, 3}, new int[] {11}),
      new PromptTokens(new int[] {1, 30}),
      new PromptTokens(new int[] {1, 12, 13, 14, 15}, new int[] {16, 17, 18}));

  /** Hidden states of one sequence alone, unbatched and unpadded: [layers+1][T][D]. */
  private static float[][][] alone(int[] tokens) {
    int t = tokens.length;
    int d = model.config().hiddenSize();
    int layers = model.config().numLayers();
    try (NDManager m = manager.newSubManager()) {
      long[] ids = Arrays.stream(tokens).asLongStream().toArray();
      Set<Integer> all = new HashSet<>();
      for (int i = 0; i <= layers; i++) {
        all.add(i);
      }
      CausalLm.Output out = model.forward(m.create(ids, new Shape(1, t)),
          m.arange(0, t).toType(DataType.INT64, false).expandDims(0), AttentionMask.causal(t), all, null);
      float[][][] result = new float[layers + 1][t][];
      for (int l = 0; l <= layers; l++) {
        float[] flat = out.hiddenStates().get(l).toFloatArray();
        for (int j = 0; j < t; j++) {
          result[l][j] = Arrays.copyOfRange(flat, j * d, (j + 1) * d);
        }
      }
      return result;
    }
  }

  private static void assertClose(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5, "element " + i);
    }
  }

  @Test
  void lastTokenStatesInCallerOrderWhateverTheBatching() {
    List<Integer> layers = List.of(0, 2, 3);
    List<PromptStates> states = new Prefill(model).run(PROMPTS, new PrefillOptions(layers, Pooling.LAST, 2, false),
        Progress.NONE);
    for (int i = 0; i < PROMPTS.size(); i++) {
      int[] prompt = PROMPTS.get(i).prompt();
      float[][][] expected = alone(prompt);
      for (int layer : layers) {
        assertClose(expected[layer][prompt.length - 1], states.get(i).layer(layer));
      }
      assertEquals(prompt.length, states.get(i).promptLength());
    }
  }

  @Test
  void embeddingLayerIsTheEmbeddingRowAndMeanIsTheMeanOfAll() {
    PrefillOptions all = new PrefillOptions(List.of(0, 1), Pooling.ALL, 3, false);
    PrefillOptions mean = new PrefillOptions(List.of(0, 1), Pooling.MEAN, 3, false);
    List<PromptStates> every = new Prefill(model).run(PROMPTS, all, Progress.NONE);
    List<PromptStates> means = new Prefill(model).run(PROMPTS, mean, Progress.NONE);
    int d = model.config().hiddenSize();
    float[] embeddings = model.parameters().get("model.embed_tokens.weight").toFloatArray();
    for (int i = 0; i < PROMPTS.size(); i++) {
      int[] prompt = PROMPTS.get(i).prompt();
      float[] rows = every.get(i).layer(0);
      assertEquals(prompt.length * d, rows.length);
      for (int j = 0; j < prompt.length; j++) {
        assertClose(Arrays.copyOfRange(embeddings, prompt[j] * d, (prompt[j] + 1) * d),
            Arrays.copyOfRange(rows, j * d, (j + 1) * d));
      }
      float[] expectedMean = new float[d];
      float[] layer1 = every.get(i).layer(1);
      for (int j = 0; j < prompt.length; j++) {
        for (int k = 0; k < d; k++) {
          expectedMean[k] += layer1[j * d + k] / prompt.length;
        }
      }
      assertClose(expectedMean, means.get(i).layer(1));
    }
  }

  /** The prompt followed by its continuation, as one sequence. */
  private static int[] sequence(PromptTokens p) {
    int[] full = new int[p.length()];
    System.arraycopy(p.prompt(), 0, full, 0, p.prompt().length);
    System.arraycopy(p.continuation(), 0, full, p.prompt().length, p.continuation().length);
    return full;
  }

  @Test
  void answerPoolingsReadTheGoldAnswerTeacherForcedAfterThePrompt() {
    List<PromptTokens> answered = PROMPTS.stream().filter(p -> p.continuation().length > 0).toList();
    List<PromptStates> mean = new Prefill(model).run(answered, new PrefillOptions(List.of(1, 3), Pooling.ANSWER, 2, true),
        Progress.NONE);
    List<PromptStates> every = new Prefill(model).run(answered,
        new PrefillOptions(List.of(1, 3), Pooling.ALL_WITH_ANSWER, 3, false), Progress.NONE);
    int d = model.config().hiddenSize();
    for (int i = 0; i < answered.size(); i++) {
      PromptTokens p = answered.get(i);
      int[] full = sequence(p);
      float[][][] expected = alone(full);
      for (int layer : List.of(1, 3)) {
        float[] expectedMean = new float[d];
        for (int j = p.prompt().length; j < full.length; j++) {
          for (int k = 0; k < d; k++) {
            expectedMean[k] += expected[layer][j][k] / p.continuation().length;
          }
        }
        assertClose(expectedMean, mean.get(i).layer(layer));
        assertEquals(1, mean.get(i).positions());
        float[] rows = every.get(i).layer(layer);
        assertEquals(full.length, every.get(i).positions(), "every position of prompt and answer");
        for (int j = 0; j < full.length; j++) {
          assertClose(expected[layer][j], Arrays.copyOfRange(rows, j * d, (j + 1) * d));
        }
      }
      // The answer's log-probabilities come from the same pass, whatever the pooling.
      assertEquals(p.continuation().length, mean.get(i).continuationLogProbs().length);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Prefill(model)
        .run(PROMPTS, new PrefillOptions(List.of(1), Pooling.ANSWER, 3, false), Progress.NONE));
    assertTrue(e.getMessage().contains("pooling answer reads the gold answer after each prompt, and prompt 2 has none"),
        e.getMessage());
  }

  @Test
  void poolingNamesRoundTripAndOldBundleSpellingsStillRead() {
    for (Pooling p : Pooling.values()) {
      assertEquals(p, Pooling.fromCliName(p.cliName()));
      assertEquals(p, Pooling.fromCliName(p.name()), "probe.json of format 1 spelt poolings as enum names");
    }
    assertEquals(Pooling.ALL, Pooling.LAST.withEveryPosition());
    assertEquals(Pooling.ALL, Pooling.MEAN.withEveryPosition());
    assertEquals(Pooling.ALL_WITH_ANSWER, Pooling.ANSWER.withEveryPosition());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pooling.fromCliName("first"));
    assertTrue(e.getMessage().contains("last, mean, all, answer, all-with-answer"), e.getMessage());
  }

  /** Scored a row or a few rows at a time (as a 150k vocabulary forces), the log-probabilities are the same. */
  @Test
  void continuationLogProbsInChunksEqualThemInOnePiece() {
    PrefillOptions options = new PrefillOptions(List.of(3), Pooling.LAST, 4, true);
    List<PromptStates> whole = new Prefill(model).run(PROMPTS, options, Progress.NONE);
    long vocab = model.config().vocabSize();
    for (long maxLogits : new long[] {1, vocab, 3 * vocab}) {
      List<PromptStates> chunked = new Prefill(model, maxLogits).run(PROMPTS, options, Progress.NONE);
      for (int i = 0; i < PROMPTS.size(); i++) {
        assertEquals(PROMPTS.get(i).continuation().length, chunked.get(i).continuationLogProbs().length);
        assertClose(whole.get(i).continuationLogProbs(), chunked.get(i).continuationLogProbs());
      }
    }
  }

  /**
   * The sampler's log-probability is Σ_j log softmax(logits / T)[answer_j] plus log Σ_end softmax(logits / T)[end]
   * at the answer's last token, computed here from the full-sequence logits; chunking changes nothing.
   */
  @Test
  void samplerLogProbIsTheTemperedChanceOfTheAnswerAndThenAnEnd() {
    double temperature = 0.7;
    SamplerView sampler = new SamplerView(temperature, java.util.Set.of(2, 5));
    PrefillOptions options = new PrefillOptions(List.of(3), Pooling.LAST, 4, true, sampler);
    List<PromptStates> states = new Prefill(model).run(PROMPTS, options, Progress.NONE);
    List<PromptStates> chunked = new Prefill(model, 1).run(PROMPTS, options, Progress.NONE);
    List<PromptStates> untempered = new Prefill(model).run(PROMPTS, new PrefillOptions(List.of(3), Pooling.LAST, 4, true),
        Progress.NONE);
    for (int i = 0; i < PROMPTS.size(); i++) {
      PromptTokens p = PROMPTS.get(i);
      int[] full = sequence(p);
      double expected = 0;
      try (NDManager m = manager.newSubManager()) {
        NDArray ids = m.create(Arrays.stream(full).asLongStream().toArray(), new Shape(1, full.length));
        NDArray logq = model.logitsForSequences(ids).div((float) temperature).logSoftmax(-1);
        for (int j = 0; j < p.continuation().length; j++) {
          expected += logq.get(new NDIndex("0, {}, {}", p.prompt().length - 1 + j, p.continuation()[j])).getFloat();
        }
        int last = full.length - 1;
        expected += Math.log(Math.exp(logq.get(new NDIndex("0, {}, 2", last)).getFloat())
            + Math.exp(logq.get(new NDIndex("0, {}, 5", last)).getFloat()));
      }
      assertEquals(expected, states.get(i).samplerLogProb(), 1e-4, "prompt " + i);
      assertEquals(expected, chunked.get(i).samplerLogProb(), 1e-4, "prompt " + i + " in chunks of one row");
      assertTrue(states.get(i).samplerLogProb() < 0);
      // The untempered log-probabilities are as without a sampler, which is not computed then.
      assertClose(untempered.get(i).continuationLogProbs(), states.get(i).continuationLogProbs());
      assertTrue(Double.isNaN(untempered.get(i).samplerLogProb()));
    }
    assertThrows(IllegalArgumentException.class, () -> new PrefillOptions(List.of(3), Pooling.LAST, 4, false, sampler));
    assertThrows(IllegalArgumentException.class, () -> new SamplerView(0, java.util.Set.of(2)));
    assertThrows(IllegalArgumentException.class, () -> new SamplerView(1, java.util.Set.of()));
  }

  @Test
  void continuationLogProbsAreTheModelsNextTokenProbabilities() {
    List<PromptStates> states = new Prefill(model).run(PROMPTS,
        new PrefillOptions(List.of(3), Pooling.LAST, 4, true), Progress.NONE);
    List<PromptStates> withoutContinuation = new Prefill(model).run(
        PROMPTS.stream().map(p -> new PromptTokens(p.prompt())).toList(),
        new PrefillOptions(List.of(3), Pooling.LAST, 4, false), Progress.NONE);
    for (int i = 0; i < PROMPTS.size(); i++) {
      PromptTokens p = PROMPTS.get(i);
      int[] full = sequence(p);
      float[] expected = new float[p.continuation().length];
      try (NDManager m = manager.newSubManager()) {
        NDArray ids = m.create(Arrays.stream(full).asLongStream().toArray(), new Shape(1, full.length));
        NDArray logp = model.logitsForSequences(ids).logSoftmax(-1);
        for (int j = 0; j < expected.length; j++) {
          expected[j] = logp.get(new NDIndex("0, {}, {}", p.prompt().length - 1 + j, p.continuation()[j])).getFloat();
        }
      }
      assertClose(expected, states.get(i).continuationLogProbs());
      assertTrue(states.get(i).continuationLogProb() <= 0);
      // The gold answer appended after the prompt does not change the prompt's features.
      assertClose(withoutContinuation.get(i).layer(3), states.get(i).layer(3));
    }
  }

  @Test
  void reportsProgressAndRejectsLayersOutOfRange() {
    List<long[]> updates = new ArrayList<>();
    new Prefill(model).run(PROMPTS, new PrefillOptions(List.of(1), Pooling.LAST, 3, false),
        (done, total) -> updates.add(new long[] {done, total}));
    assertEquals(2, updates.size());
    assertArrayEquals(new long[] {4, 4}, updates.get(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Prefill(model)
        .run(PROMPTS, new PrefillOptions(List.of(4), Pooling.LAST, 3, false), Progress.NONE));
    assertTrue(e.getMessage().contains("0..3"), e.getMessage());
  }
}
