package dev.foresight.worker.features;

import dev.foresight.worker.Cancellation;
import dev.foresight.worker.model.ArrayLength;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.runtime.Prefill;
import dev.foresight.worker.runtime.PrefillOptions;
import dev.foresight.worker.runtime.Progress;
import dev.foresight.worker.runtime.PromptStates;
import dev.foresight.worker.runtime.PromptTokens;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import dev.foresight.worker.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a checkpoint over task prompts, each followed by its gold answer, in one batched prefill:
 * the hidden states the {@link FeatureSpec} names are the probe's features — the prompt's (the
 * answer after them changes nothing before it, by causality) or, for an answer-aware pooling, the
 * states read teacher-forced over the gold answer too — and the answer tokens' log-probabilities
 * give its bits per byte (and, when the spec replays the labels' sampler, the chance that one sample
 * is exactly the gold answer).
 * Every task's prompts go through together, so batches are full and sorted by length across tasks.
 */
public final class FeatureExtractor {
  private static final double LN2 = Math.log(2);

  private final CausalLm model;
  private final Tokenizer tokenizer;

  public FeatureExtractor(CausalLm model, Tokenizer tokenizer) {
    this.model = model;
    this.tokenizer = tokenizer;
  }

  /** Features of every prompt of {@code tasks}, by task in catalog order. */
  public Map<String, TaskFeatures> extract(TaskCatalog tasks, FeatureSpec spec, int batchSize, Progress progress) {
    List<PromptTokens> tokens = new ArrayList<>();
    for (TaskSet set : tasks.sets()) {
      for (TaskPrompt p : set.prompts()) {
        // The prompt as the model sees it at generation time (with BOS); the answer continues it.
        tokens.add(new PromptTokens(tokenizer.encode(p.prompt()), tokenizer.encode(p.answer(), false)));
      }
    }
    List<PromptStates> states = new Prefill(model).run(tokens,
        new PrefillOptions(spec.layers(), spec.pooling(), batchSize, true, spec.sampler(tokenizer.eos())), (done, total) -> {
          Cancellation.check();
          progress.update(done, total);
        });
    int hidden = model.config().hiddenSize();
    Map<String, TaskFeatures> out = new LinkedHashMap<>();
    int at = 0;
    for (TaskSet set : tasks.sets()) {
      out.put(set.name(), assemble(set, states.subList(at, at + set.size()), spec, hidden));
      at += set.size();
    }
    return out;
  }

  private static TaskFeatures assemble(TaskSet set, List<PromptStates> states, FeatureSpec spec, int hidden) {
    int n = set.size();
    int width = spec.width(hidden);
    int[] lengths = new int[n];
    int positions = 1;
    for (int i = 0; i < n; i++) {
      lengths[i] = states.get(i).positions();
      positions = Math.max(positions, lengths[i]);
    }
    float[] values = new float[ArrayLength.of("task " + set.name() + ": features [prompts × positions × features]"
        + " (read fewer layers, or split the task)", n, positions, width)];
    double[] bits = new double[n];
    long[] bytes = new long[n];
    double[] samplerBits = spec.samplerTemperature() == null ? null : new double[n];
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      PromptStates s = states.get(i);
      ids.add(set.prompts().get(i).id());
      // Concatenate the layers at each position: [pos][layer][hidden].
      for (int l = 0; l < spec.layers().size(); l++) {
        float[] layer = s.layer(spec.layers().get(l));
        for (int p = 0; p < lengths[i]; p++) {
          System.arraycopy(layer, p * hidden, values, (i * positions + p) * width + l * hidden, hidden);
        }
      }
      bits[i] = -s.continuationLogProb() / LN2;
      if (samplerBits != null) {
        samplerBits[i] = -s.samplerLogProb() / LN2;
      }
      bytes[i] = set.prompts().get(i).answer().getBytes(StandardCharsets.UTF_8).length;
    }
    return new TaskFeatures(set.name(), ids, width, positions, values, lengths, bits, bytes, samplerBits);
  }
}
