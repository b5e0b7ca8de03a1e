package dev.foresight.worker.runtime;

import java.util.List;

/**
 * What prefill keeps.
 *
 * @param layers hidden-state indices in Hugging Face's indexing (0 = embeddings, L = after the
 *     final norm); empty for none
 * @param pooling which positions
 * @param batchSize prompts per forward pass, or {@link BatchPlan#FROM_FREE_MEMORY} on a GPU for
 *     the largest batch that fits
 * @param continuationLogProbs whether to score the prompts' continuations
 * @param sampler when not null (with {@code continuationLogProbs}), also the log-probability that this
 *     sampler writes each continuation and then ends ({@link PromptStates#samplerLogProb})
 */
public record PrefillOptions(List<Integer> layers, Pooling pooling, int batchSize, boolean continuationLogProbs,
    SamplerView sampler) {

  public PrefillOptions(List<Integer> layers, Pooling pooling, int batchSize, boolean continuationLogProbs) {
    this(layers, pooling, batchSize, continuationLogProbs, null);
  }

  public PrefillOptions {
    layers = List.copyOf(layers);
    if (batchSize < 0) {
      throw new IllegalArgumentException("batchSize must be positive (or 0 for a plan from free memory), not " + batchSize);
    }
    if (sampler != null && !continuationLogProbs) {
      throw new IllegalArgumentException("the sampler's log-probability is the continuation's: ask for continuationLogProbs too");
    }
  }
}
