package dev.foresight.worker.probe;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import dev.foresight.worker.Cancellation;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.scoring.ProbeMetrics;
import dev.foresight.worker.training.AdamW;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a probe head with DJL autograd: soft labels (per-prompt pass rates), binary cross-entropy,
 * AdamW, shuffled mini-batches, and early stopping on the held-out prompts' loss — the weights of
 * the best held-out epoch are kept.
 */
public final class ProbeTrainer {

  /**
   * @param maxEpochs passes over the training rows at most
   * @param patience epochs without a better held-out loss before stopping
   */
  public record Options(int maxEpochs, int patience, int batchSize, float learningRate, float weightDecay, long seed) {

    /** Settings that worked on the demo world's checkpoints; every one can be overridden on the command line. */
    public static Options defaults(ProbeFamily family, long seed) {
      return switch (family) {
        case LINEAR -> new Options(300, 30, 64, 1e-2f, 1e-2f, seed);
        case MLP, ATTENTION -> new Options(300, 30, 64, 3e-3f, 1e-2f, seed);
        case SUBMODEL -> new Options(100, 15, 32, 1e-3f, 1e-2f, seed);
      };
    }
  }

  /**
   * @param epochs epochs run
   * @param bestEpoch the epoch whose weights were kept (1-based)
   * @param heldOutLoss held-out BCE at that epoch
   * @param heldOut held-out metrics by task, over every labelled checkpoint's rows
   */
  public record Result(ProbeHead head, int epochs, int bestEpoch, double heldOutLoss, Map<String, ProbeMetrics> heldOut) {}

  private ProbeTrainer() {}

  /**
   * Trains {@code head} (fresh weights, in {@code manager}) on {@code train}, stopping early on
   * {@code heldOut}.
   */
  public static Result train(ProbeHead head, ProbeDataset train, ProbeDataset heldOut, Options options,
      NDManager manager, ProgressBar progress) {
    Map<String, NDArray> params = head.trainable();
    List<NDArray> trained = List.copyOf(params.values());
    trained.forEach(p -> p.setRequiresGradient(true));
    // AdamW decays matrices, not biases or vectors: every head keeps its weights as matrices.
    AdamW optimizer = new AdamW(trained, manager, 0.9, 0.999, 1e-8, options.weightDecay());
    BinaryCrossEntropy loss = new BinaryCrossEntropy();
    Random random = new Random(options.seed());
    int[] order = train.all();
    Map<String, float[]> best = snapshot(params);
    double bestLoss = Double.POSITIVE_INFINITY;
    int bestEpoch = 0;
    int epoch = 0;
    while (epoch < options.maxEpochs() && epoch - bestEpoch < options.patience()) {
      epoch++;
      shuffle(order, random);
      for (int start = 0; start < order.length; start += options.batchSize()) {
        Cancellation.check();
        int[] idx = java.util.Arrays.copyOfRange(order, start, Math.min(order.length, start + options.batchSize()));
        try (NDScope scope = new NDScope()) {
          ProbeInput input = train.input(manager, idx);
          NDArray labels = manager.create(train.softLabels(idx));
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray objective = loss.mean(head.logits(input), labels);
            NDArray penalty = head.penalty();
            collector.backward(penalty == null ? objective : objective.add(penalty));
          }
          List<NDArray> gradients = trained.stream().map(NDArray::getGradient).toList();
          optimizer.update(options.learningRate(), gradients);
          // PyTorch adds each backward's gradients to the last ones: start every step from zero.
          gradients.forEach(g -> g.subi(g));
          scope.suppressNotUsedWarning();
        }
      }
      double heldOutLoss = heldOutLoss(head, heldOut, loss, manager);
      if (heldOutLoss < bestLoss - 1e-6) {
        bestLoss = heldOutLoss;
        bestEpoch = epoch;
        best = snapshot(params);
      }
      progress.advance(1);
    }
    optimizer.close();
    restore(params, best);
    Map<String, ProbeMetrics> metrics = new LinkedHashMap<>();
    double[] p = ProbeHeads.predict(head, heldOut, manager);
    heldOut.rowsByTask().forEach((task, idx) -> {
      double[] pt = new double[idx.length];
      for (int b = 0; b < idx.length; b++) {
        pt[b] = p[idx[b]];
      }
      metrics.put(task, ProbeMetrics.of(pt, heldOut.outcomes(idx)));
    });
    return new Result(head, epoch, bestEpoch, bestLoss, metrics);
  }

  private static double heldOutLoss(ProbeHead head, ProbeDataset heldOut, BinaryCrossEntropy loss, NDManager manager) {
    try (NDScope scope = new NDScope()) {
      int[] idx = heldOut.all();
      NDArray labels = manager.create(heldOut.softLabels(idx));
      scope.suppressNotUsedWarning();
      return loss.mean(head.logits(heldOut.input(manager, idx)), labels).getFloat();
    }
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static Map<String, float[]> snapshot(Map<String, NDArray> params) {
    Map<String, float[]> copy = new LinkedHashMap<>();
    params.forEach((name, p) -> copy.put(name, p.toFloatArray()));
    return copy;
  }

  /**
   * Copies the kept weights back in place (outside autograd, like the optimiser's steps). Not with
   * {@code NDArray.set(Buffer)}: DJL runs that under a deprecated libtorch guard whose first use
   * prints a warning on the user's terminal, one TORCH_CPP_LOG_LEVEL cannot silence.
   */
  private static void restore(Map<String, NDArray> params, Map<String, float[]> values) {
    params.forEach((name, p) -> {
      try (NDArray kept = p.getManager().create(values.get(name), p.getShape())) {
        p.set(new NDIndex("..."), kept);
      }
    });
  }

  /**
   * Mean binary cross-entropy of logits z against soft labels y: {@code softplus(z) − y·z}, which
   * equals {@code −y·log σ(z) − (1−y)·log(1−σ(z))} without overflow. torch's softplus has the exact
   * gradient σ(z) everywhere; the often-seen {@code max(z,0) + log(1+e^{−|z|})} has subgradient 0 for
   * both kinks at z = 0, which is exactly where a zero-initialised linear probe starts.
   */
  static final class BinaryCrossEntropy {
    NDArray mean(NDArray logits, NDArray labels) {
      return Activation.softPlus(logits).sub(labels.mul(logits)).mean();
    }
  }
}
