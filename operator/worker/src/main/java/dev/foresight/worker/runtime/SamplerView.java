package dev.foresight.worker.runtime;

import java.util.Set;

/**
 * The sampler whose chance of writing the continuation prefill also measures: its temperature and the
 * tokens that end a sequence. At temperature T a sampler draws token v with probability
 * softmax(logits / T)[v]; the product of these over the gold answer's tokens and then an end token
 * is the chance that one sample is exactly the gold answer, which is a single-answer task's pass
 * probability (less when other answers also pass). Top-p is not modelled: it only removes the
 * unlikely tail, which a probe's weights absorb.
 *
 * @param temperature the sampler's temperature, above 0
 * @param endTokens ids that end a sequence (the tokenizer's end-of-sequence ids); at least one
 */
public record SamplerView(double temperature, Set<Integer> endTokens) {

  public SamplerView {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("sampler temperature must be a positive number, got " + temperature);
    }
    endTokens = Set.copyOf(endTokens);
    if (endTokens.isEmpty()) {
      throw new IllegalArgumentException("the sampler needs at least one end-of-sequence token: the tokenizer has none");
    }
  }
}
