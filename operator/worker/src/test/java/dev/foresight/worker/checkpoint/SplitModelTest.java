package dev.foresight.worker.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.model.DevicePlan;
import dev.foresight.worker.model.TinyModels;
import dev.foresight.worker.runtime.Completion;
import dev.foresight.worker.runtime.Generator;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.runtime.Prefill;
import dev.foresight.worker.runtime.PrefillOptions;
import dev.foresight.worker.runtime.Progress;
import dev.foresight.worker.runtime.PromptStates;
import dev.foresight.worker.runtime.PromptTokens;
import dev.foresight.worker.runtime.SamplingOptions;
import dev.foresight.worker.safetensors.SafetensorsDtype;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model split over devices computes exactly what the whole model does. Every device here is the
 * CPU: the split path runs (per-device contexts, moves at block boundaries, a tied head's copy on
 * the last device, KV caches beside their layers) with transfers that move nothing.
 */
class SplitModelTest {

  @TempDir Path dir;

  private static final List<PromptTokens> PROMPTS = List.of(
      new PromptTokens(new int[] {1, 5, 9, 3, 7, 11}, new int[] {4, 4}),
      new PromptTokens(new int[] {1, 8, 7}, new int[] {11, 12, 13}));

  @Test
  void aSplitModelEqualsTheWholeOneInPrefillAndGeneration() throws Exception {
    for (Family family : List.of(Family.LLAMA, Family.QWEN2, Family.OLMO3)) { // plain, tied head + sliding, post-norm
      Path ckpt = dir.resolve(family.name());
      try (NDManager m = NDManager.newBaseManager(); CausalLm model = TinyModels.model(family, m, 7)) {
        CheckpointWriter.write(model, ckpt, null, SafetensorsDtype.F32);
      }
      DevicePlan plan = new DevicePlan(List.of(Device.cpu(), Device.cpu(), Device.cpu()), new int[] {0, 1, 2}, 3);
      try (Checkpoint c = Checkpoint.open(ckpt);
          CausalLm whole = c.load(Device.cpu(), DataType.FLOAT32);
          CausalLm split = c.load(plan, DataType.FLOAT32)) {
        assertTrue(split.plan().split());
        PrefillOptions options = new PrefillOptions(List.of(0, 1, 2, 3), Pooling.MEAN, 2, true);
        List<PromptStates> a = new Prefill(whole).run(PROMPTS, options, Progress.NONE);
        List<PromptStates> b = new Prefill(split).run(PROMPTS, options, Progress.NONE);
        for (int i = 0; i < PROMPTS.size(); i++) {
          for (int layer = 0; layer <= 3; layer++) {
            assertArrayEquals(a.get(i).layer(layer), b.get(i).layer(layer), family + " prompt " + i + " layer " + layer);
          }
          assertArrayEquals(a.get(i).continuationLogProbs(), b.get(i).continuationLogProbs(), family + " log-probs");
        }
        List<int[]> prompts = PROMPTS.stream().map(PromptTokens::prompt).toList();
        List<List<Completion>> x = new Generator(whole, ids -> "", Set.of()).generate(prompts, SamplingOptions.greedy(6), Progress.NONE);
        List<List<Completion>> y = new Generator(split, ids -> "", Set.of()).generate(prompts, SamplingOptions.greedy(6), Progress.NONE);
        for (int i = 0; i < prompts.size(); i++) {
          assertArrayEquals(x.get(i).get(0).tokens(), y.get(i).get(0).tokens(), family + " generation " + i);
          assertEquals(6, y.get(i).get(0).tokens().length);
        }
        SamplingOptions sampled = new SamplingOptions(2, 5, 0.8, 0.95, 11, List.of(), 4); // temperature, top-p
        List<List<Completion>> p = new Generator(whole, ids -> "", Set.of()).generate(prompts, sampled, Progress.NONE);
        List<List<Completion>> q = new Generator(split, ids -> "", Set.of()).generate(prompts, sampled, Progress.NONE);
        for (int i = 0; i < prompts.size(); i++) {
          for (int s = 0; s < 2; s++) {
            assertArrayEquals(p.get(i).get(s).tokens(), q.get(i).get(s).tokens(), family + " sample " + i + "/" + s);
          }
        }
      }
    }
  }
}
