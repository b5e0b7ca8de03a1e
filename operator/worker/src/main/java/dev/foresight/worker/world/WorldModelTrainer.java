package dev.foresight.worker.world;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.foresight.worker.Cancellation;
import dev.foresight.worker.checkpoint.CheckpointWriter;
import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.safetensors.SafetensorsDtype;
import dev.foresight.worker.tokenizer.CharacterTokenizer;
import dev.foresight.worker.tokenizer.Tokenizer;
import dev.foresight.worker.training.LmTrainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Trains a small Llama-architecture model on the {@link SyntheticWorld} with the runtime's own
 * classes (character tokenizer, random init, {@link LmTrainer}, {@link CheckpointWriter}), and saves
 * a Hugging Face checkpoint every {@code saveEvery} steps: {@code <dir>/checkpoints/step-<N>/}, with
 * the mean training loss since the previous one in its {@link TrainerState trainer_state.json}.
 * The loss counts the answer and the end-of-sequence token only, as in instruction tuning.
 */
public final class WorldModelTrainer {

  /**
   * @param steps optimiser steps in all
   * @param saveEvery a checkpoint every this many steps (and at the last step)
   * @param batchSize problems per step
   * @param hiddenSize residual width; the MLP is twice as wide
   * @param layers decoder blocks
   * @param heads attention heads (half as many key/value heads: GQA, as real models have)
   * @param learningRate the peak, reached after a linear warm-up over the first 5% of steps
   * @param cosineDecay after the warm-up, decay along a cosine to a tenth of the peak at the last
   *     step, as pretraining runs do; false keeps the peak to the end
   */
  public record Options(int steps, int saveEvery, int batchSize, int hiddenSize, int layers, int heads,
      double learningRate, boolean cosineDecay, long seed) {

    public Options {
      if (steps < 1 || saveEvery < 1 || batchSize < 1) {
        throw new IllegalArgumentException("training steps (" + steps + "), steps between checkpoints (" + saveEvery
            + ") and batch size (" + batchSize + ") must be at least 1");
      }
      if (hiddenSize < 1 || layers < 1 || heads < 1 || hiddenSize % heads != 0) {
        throw new IllegalArgumentException("a model of hidden size " + hiddenSize + ", " + layers + " layers and "
            + heads + " heads: all must be positive and the heads must divide the hidden size");
      }
    }

    /** A model that learns the world's easy prompts in a few hundred steps on one CPU core. */
    public static Options small(int steps, int saveEvery, long seed) {
      return new Options(steps, saveEvery, 64, 64, 2, 4, 3e-3, false, seed);
    }
  }

  private final SyntheticWorld world;

  public WorldModelTrainer(SyntheticWorld world) {
    this.world = world;
  }

  /** Where the tokenizer files go: {@code <dir>/tokenizer}. */
  public static Path tokenizerDir(Path dir) { return dir.resolve("tokenizer"); }

  public static Path checkpointDir(Path dir, int step) { return dir.resolve("checkpoints").resolve("step-" + step); }

  /**
   * Trains from scratch and writes the checkpoints.
   *
   * @param excluded prompts training must never show (the evaluation prompt sets)
   * @return the checkpoint directories, oldest first
   */
  public List<Path> train(Path dir, Set<String> excluded, Options options, ProgressBar progress) throws IOException {
    CharacterTokenizer.write(tokenizerDir(dir), world.alphabet());
    List<Path> saved = new ArrayList<>();
    try (Tokenizer tokenizer = Tokenizer.open(tokenizerDir(dir)); NDManager root = NDManager.newBaseManager(Device.cpu())) {
      int vocab = CharacterTokenizer.vocabSize(world.alphabet());
      int bos = tokenizer.bos().orElseThrow();
      int eos = tokenizer.eos().iterator().next();
      ModelConfig config = ModelConfig.llama(vocab, options.hiddenSize(), 2 * options.hiddenSize(), options.layers(),
          options.heads(), Math.max(1, options.heads() / 2), 128, bos, eos);
      SplittableRandom random = new SplittableRandom(options.seed());
      try (CausalLm model = CausalLm.random(config, options.seed(), root.newSubManager());
          LmTrainer trainer = new LmTrainer(model, new LmTrainer.Options(options.learningRate(), 0.01, 1.0))) {
        List<TrainerState.LogEntry> history = new ArrayList<>();
        double lossSum = 0;
        int lossSteps = 0;
        for (int step = 1; step <= options.steps(); step++) {
          Cancellation.check();
          Batch batch = batch(tokenizer, eos, random, excluded, options.batchSize());
          lossSum += trainer.step(batch.inputs, batch.targets, batch.mask, learningRate(options, step));
          lossSteps++;
          progress.advance(1);
          if (step % options.saveEvery() == 0 || step == options.steps()) {
            Path out = checkpointDir(dir, step);
            CheckpointWriter.write(model, out, tokenizerDir(dir), SafetensorsDtype.F32);
            history.add(new TrainerState.LogEntry(step, lossSum / lossSteps));
            new TrainerState(step, history).write(out);
            lossSum = 0;
            lossSteps = 0;
            saved.add(out);
          }
        }
      }
    }
    return saved;
  }

  /** Linear warm-up over the first 5% of steps (short runs should learn from the start), then constant or cosine. */
  static double learningRate(Options o, int step) {
    int warmup = Math.max(1, o.steps() / 20);
    if (step <= warmup) {
      return o.learningRate() * step / warmup;
    }
    if (!o.cosineDecay()) {
      return o.learningRate();
    }
    double progress = (double) (step - warmup) / Math.max(1, o.steps() - warmup);
    return o.learningRate() * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }

  private record Batch(long[][] inputs, long[][] targets, float[][] mask) {}

  /** Problems as {@code <bos> prompt answer <eos>}, right-padded; the loss mask covers answer and EOS. */
  private Batch batch(Tokenizer tokenizer, int eos, SplittableRandom random, Set<String> excluded, int size) {
    List<int[]> sequences = new ArrayList<>();
    List<Integer> promptLengths = new ArrayList<>();
    int longest = 0;
    for (int i = 0; i < size; i++) {
      Example e = world.trainingExample(random, excluded);
      int[] prompt = tokenizer.encode(e.prompt());
      int[] answer = tokenizer.encode(e.answer(), false);
      int[] seq = new int[prompt.length + answer.length + 1];
      System.arraycopy(prompt, 0, seq, 0, prompt.length);
      System.arraycopy(answer, 0, seq, prompt.length, answer.length);
      seq[seq.length - 1] = eos;
      sequences.add(seq);
      promptLengths.add(prompt.length);
      longest = Math.max(longest, seq.length - 1);
    }
    long[][] inputs = new long[size][longest];
    long[][] targets = new long[size][longest];
    float[][] mask = new float[size][longest];
    for (int i = 0; i < size; i++) {
      int[] seq = sequences.get(i);
      for (int t = 0; t < seq.length - 1; t++) {
        inputs[i][t] = seq[t];
        targets[i][t] = seq[t + 1];
        // Position t predicts token t+1: count it when t+1 is part of the answer or the EOS.
        mask[i][t] = t + 1 >= promptLengths.get(i) ? 1 : 0;
      }
    }
    return new Batch(inputs, targets, mask);
  }
}
