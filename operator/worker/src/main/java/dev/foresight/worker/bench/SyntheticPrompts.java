package dev.foresight.worker.bench;

import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.runtime.PromptTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Random token ids for timing runs: the same prompts on every run and machine for a seed. */
public final class SyntheticPrompts {

  private SyntheticPrompts() {}

  public static List<PromptTokens> of(ModelConfig config, int count, int length, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<PromptTokens> prompts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      prompts.add(new PromptTokens(IntStream.range(0, length).map(j -> random.nextInt(config.vocabSize())).toArray()));
    }
    return prompts;
  }
}
