package dev.foresight.worker.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.checkpoint.CheckpointWriter;
import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.runtime.Completion;
import dev.foresight.worker.runtime.Generator;
import dev.foresight.worker.runtime.Progress;
import dev.foresight.worker.runtime.SamplingOptions;
import dev.foresight.worker.safetensors.SafetensorsDtype;
import dev.foresight.worker.tokenizer.CharacterTokenizer;
import dev.foresight.worker.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny Llama learns to reverse three-letter strings it never saw in training, through the same
 * classes the demo uses: character tokenizer, random init, trainer, checkpoint writer, generator.
 */
class LmTrainerTest {

  @TempDir Path dir;

  private static String reverse(String s) { return new StringBuilder(s).reverse().toString(); }

  @Test
  void learnsToReverseUnseenStringsAndSurvivesASaveAndLoad() throws Exception {
    String letters = "abcde";
    CharacterTokenizer.write(dir, letters + "|");
    List<String> all = new ArrayList<>();
    for (char a : letters.toCharArray()) {
      for (char b : letters.toCharArray()) {
        for (char c : letters.toCharArray()) {
          all.add("" + a + b + c);
        }
      }
    }
    Collections.shuffle(all, new Random(3));
    List<String> heldOut = all.subList(0, 25);
    List<String> train = all.subList(25, all.size());

    try (Tokenizer tokenizer = Tokenizer.open(dir); NDManager root = NDManager.newBaseManager(Device.cpu())) {
      int vocab = CharacterTokenizer.vocabSize(letters + "|");
      ModelConfig config = ModelConfig.llama(vocab, 64, 128, 2, 4, 2, 64, 1, 2);
      CausalLm model = CausalLm.random(config, 42, root.newSubManager());
      Random random = new Random(5);
      float firstLoss = 0;
      float lastLoss = 0;
      try (LmTrainer trainer = new LmTrainer(model, new LmTrainer.Options(1e-2, 0.0, 1.0))) {
        for (int step = 0; step < 250; step++) {
          int batch = 64;
          long[][] in = new long[batch][];
          long[][] out = new long[batch][];
          float[][] mask = new float[batch][];
          for (int i = 0; i < batch; i++) {
            String s = train.get(random.nextInt(train.size()));
            int[] ids = tokenizer.encode(s + "|" + reverse(s)); // <bos> a b c | c b a
            long[] seq = new long[ids.length + 1];
            for (int j = 0; j < ids.length; j++) {
              seq[j] = ids[j];
            }
            seq[ids.length] = tokenizer.eos().iterator().next();
            in[i] = java.util.Arrays.copyOf(seq, seq.length - 1);
            out[i] = java.util.Arrays.copyOfRange(seq, 1, seq.length);
            mask[i] = new float[in[i].length];
            for (int j = 4; j < mask[i].length; j++) {
              mask[i][j] = 1; // only the reversed part and EOS count
            }
          }
          float loss = trainer.step(in, out, mask);
          if (step == 0) {
            firstLoss = loss;
          }
          lastLoss = loss;
        }
      }
      assertTrue(firstLoss > 1.0, "an untrained model is unsure: " + firstLoss);
      assertTrue(lastLoss < 0.1, "loss after training: " + lastLoss);

      List<int[]> prompts = heldOut.stream().map(s -> tokenizer.encode(s + "|")).toList();
      Generator generator = new Generator(model, tokenizer::decode, tokenizer.eos());
      List<List<Completion>> completions = generator.generate(prompts, SamplingOptions.greedy(6), Progress.NONE);
      int correct = 0;
      for (int i = 0; i < heldOut.size(); i++) {
        Completion c = completions.get(i).get(0);
        if (c.text().equals(reverse(heldOut.get(i))) && c.finish() == Completion.Finish.EOS) {
          correct++;
        }
      }
      assertTrue(correct >= 23, "held-out strings reversed correctly: " + correct + "/25");

      Path saved = dir.resolve("checkpoint");
      CheckpointWriter.write(model, saved, dir, SafetensorsDtype.F32);
      try (Checkpoint checkpoint = Checkpoint.open(saved);
          CausalLm loaded = checkpoint.load(Device.cpu(), DataType.FLOAT32);
          Tokenizer savedTokenizer = Tokenizer.open(saved)) {
        assertEquals(model.parameterCount(), checkpoint.parameterCount());
        assertEquals(tokenizer.hash(), savedTokenizer.hash());
        List<List<Completion>> again = new Generator(loaded, savedTokenizer::decode, savedTokenizer.eos())
            .generate(prompts, SamplingOptions.greedy(6), Progress.NONE);
        for (int i = 0; i < prompts.size(); i++) {
          assertArrayEquals(completions.get(i).get(0).tokens(), again.get(i).get(0).tokens());
        }
      }
      model.close();
    }
  }
}
