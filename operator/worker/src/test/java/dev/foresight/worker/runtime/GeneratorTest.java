package dev.foresight.worker.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.foresight.worker.checkpoint.Family;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.model.TinyModels;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GeneratorTest {

  private static NDManager manager;
  private static CausalLm model;
  /** One character per id, so that stop strings can be tested without a tokenizer. */
  private static final Function<int[], String> TEXT = ids -> {
    StringBuilder s = new StringBuilder();
    for (int id : ids) {
      s.append((char) ('A' + id));
    }
    return s.toString();
  };

  @BeforeAll
  static void setUp() throws Exception {
    manager = NDManager.newBaseManager();
    model = TinyModels.model(Family.QWEN2, manager, 31);
  }

  @AfterAll
  static void tearDown() { manager.close(); }

  private static final List<int[]> PROMPTS = List.of(new int[] {1, 5, 9, 3, 20, 21}, new int[] {1, 7}, new int[] {1, 44, 2, 8});

  /** Greedy decoding by recomputing the whole sequence every step, without a cache. */
  private static int[] greedyWithoutCache(int[] prompt, int steps) {
    int[] seq = prompt.clone();
    for (int s = 0; s < steps; s++) {
      try (NDManager m = manager.newSubManager()) {
        NDArray ids = m.create(Arrays.stream(seq).asLongStream().toArray(), new Shape(1, seq.length));
        long next = model.logitsForSequences(ids).get(new NDIndex("0, -1")).argMax().getLong();
        seq = Arrays.copyOf(seq, seq.length + 1);
        seq[seq.length - 1] = (int) next;
      }
    }
    return Arrays.copyOfRange(seq, prompt.length, seq.length);
  }

  @Test
  void greedyBatchedWithLeftPaddingEqualsRecomputingEachPromptAlone() {
    List<List<Completion>> out = new Generator(model, TEXT, Set.of())
        .generate(PROMPTS, SamplingOptions.greedy(8), Progress.NONE);
    for (int i = 0; i < PROMPTS.size(); i++) {
      Completion c = out.get(i).get(0);
      assertArrayEquals(greedyWithoutCache(PROMPTS.get(i), 8), c.tokens(), "prompt " + i);
      assertEquals(Completion.Finish.LENGTH, c.finish());
      assertEquals(TEXT.apply(c.tokens()), c.text());
    }
  }

  @Test
  void samplingIsReproducibleWhateverTheBatchSize() {
    SamplingOptions wide = new SamplingOptions(4, 6, 1.5, 0.9, 77, List.of(), 64);
    SamplingOptions narrow = new SamplingOptions(4, 6, 1.5, 0.9, 77, List.of(), 3);
    Generator g = new Generator(model, TEXT, Set.of());
    List<List<Completion>> a = g.generate(PROMPTS, wide, Progress.NONE);
    List<List<Completion>> b = g.generate(PROMPTS, narrow, Progress.NONE);
    for (int i = 0; i < PROMPTS.size(); i++) {
      assertEquals(4, a.get(i).size());
      for (int s = 0; s < 4; s++) {
        assertArrayEquals(a.get(i).get(s).tokens(), b.get(i).get(s).tokens());
      }
    }
    // At temperature 1.5 the four samples of a prompt are not all the same, and a new seed changes them.
    assertNotEquals(1, a.get(0).stream().map(c -> Arrays.toString(c.tokens())).distinct().count());
    List<List<Completion>> c = g.generate(PROMPTS, new SamplingOptions(4, 6, 1.5, 0.9, 78, List.of(), 64), Progress.NONE);
    assertNotEquals(Arrays.toString(a.get(0).get(0).tokens()) + Arrays.toString(a.get(1).get(0).tokens()),
        Arrays.toString(c.get(0).get(0).tokens()) + Arrays.toString(c.get(1).get(0).tokens()));
  }

  /** softmax(logits / temperature) of the model's next token after {@code prompt}, in double precision. */
  private static double[] nextTokenProbabilities(int[] prompt, double temperature) {
    try (NDManager m = manager.newSubManager()) {
      NDArray ids = m.create(Arrays.stream(prompt).asLongStream().toArray(), new Shape(1, prompt.length));
      float[] logits = model.logitsForSequences(ids).get(new NDIndex("0, -1")).toFloatArray();
      double max = Double.NEGATIVE_INFINITY;
      for (float l : logits) {
        max = Math.max(max, l / temperature);
      }
      double[] p = new double[logits.length];
      double sum = 0;
      for (int i = 0; i < p.length; i++) {
        p[i] = Math.exp(logits[i] / temperature - max);
        sum += p[i];
      }
      for (int i = 0; i < p.length; i++) {
        p[i] /= sum;
      }
      return p;
    }
  }

  /** How often each token came first in {@code n} one-token samples of the prompt. */
  private static double[] firstTokenFrequencies(int[] prompt, int n, double temperature, double topP) {
    List<Completion> samples = new Generator(model, TEXT, Set.of())
        .generate(List.of(prompt), new SamplingOptions(n, 1, temperature, topP, 11, List.of(), n), Progress.NONE).get(0);
    double[] freq = new double[model.config().vocabSize()];
    for (Completion c : samples) {
      freq[c.tokens()[0]] += 1.0 / n;
    }
    return freq;
  }

  @Test
  void samplingDrawsFromTheTemperedSoftmaxAndTheNucleus() {
    int n = 8_000;
    int[] prompt = PROMPTS.get(0);
    double temperature = 1.5;
    double[] p = nextTokenProbabilities(prompt, temperature);
    double[] freq = firstTokenFrequencies(prompt, n, temperature, 1.0);
    for (int token = 0; token < p.length; token++) {
      // Five standard errors of a frequency over n draws (seeded: the same draws every run).
      double tolerance = 5 * Math.sqrt(p[token] * (1 - p[token]) / n) + 1e-4;
      assertEquals(p[token], freq[token], tolerance, "token " + token);
    }

    // Top-p 0.5: only the most likely tokens whose mass before them is under 0.5, renormalised.
    double topP = 0.5;
    Integer[] order = new Integer[p.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
    boolean[] inNucleus = new boolean[p.length];
    double before = 0;
    for (int token : order) {
      if (before >= topP) {
        break;
      }
      inNucleus[token] = true;
      before += p[token];
    }
    double mass = before;
    assertTrue(mass < 0.99, "the test needs tokens outside the nucleus: " + mass);
    double[] nucleus = firstTokenFrequencies(prompt, n, temperature, topP);
    for (int token = 0; token < p.length; token++) {
      double expected = inNucleus[token] ? p[token] / mass : 0;
      double tolerance = 5 * Math.sqrt(expected * (1 - expected) / n) + 1e-4;
      assertEquals(expected, nucleus[token], tolerance, "token " + token + (inNucleus[token] ? " (in the nucleus)" : ""));
    }
  }

  @Test
  void tinyTopPIsGreedy() {
    // A nucleus of probability 1e-6 holds only the most likely token.
    List<List<Completion>> sampled = new Generator(model, TEXT, Set.of())
        .generate(PROMPTS, new SamplingOptions(2, 5, 1.0, 1e-6, 5, List.of(), 8), Progress.NONE);
    for (int i = 0; i < PROMPTS.size(); i++) {
      assertArrayEquals(greedyWithoutCache(PROMPTS.get(i), 5), sampled.get(i).get(1).tokens());
    }
  }

  @Test
  void stopStringsAndEndOfSequenceEndACompletion() {
    int[] greedy = greedyWithoutCache(PROMPTS.get(0), 6);
    // Stop at the text of the third generated token: the text is cut before it.
    String stop = TEXT.apply(new int[] {greedy[2]});
    Completion c = new Generator(model, TEXT, Set.of())
        .generate(List.of(PROMPTS.get(0)), new SamplingOptions(1, 6, 0, 1, 0, List.of(stop), 4), Progress.NONE)
        .get(0).get(0);
    assertEquals(Completion.Finish.STOP_STRING, c.finish());
    assertEquals(TEXT.apply(greedy).substring(0, TEXT.apply(greedy).indexOf(stop)), c.text());
    // Treat the fourth token as EOS: the completion ends before it, without it.
    Completion e = new Generator(model, TEXT, Set.of(greedy[3]))
        .generate(List.of(PROMPTS.get(0)), SamplingOptions.greedy(6), Progress.NONE).get(0).get(0);
    int firstEos = 0;
    while (greedy[firstEos] != greedy[3]) {
      firstEos++;
    }
    assertEquals(Completion.Finish.EOS, e.finish());
    assertArrayEquals(Arrays.copyOf(greedy, firstEos), e.tokens());
  }
}
