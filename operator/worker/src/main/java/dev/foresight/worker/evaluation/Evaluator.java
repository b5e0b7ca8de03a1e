package dev.foresight.worker.evaluation;

import ai.djl.ndarray.NDManager;
import dev.foresight.api.v1alpha1.Latency;
import dev.foresight.worker.bundle.ModelSignature;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.bundle.ProbeIncompatibleException;
import dev.foresight.worker.bundle.ProbeManifest;
import dev.foresight.worker.features.FeatureExtractor;
import dev.foresight.worker.features.FeatureSpec;
import dev.foresight.worker.features.TaskFeatures;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.Labeller;
import dev.foresight.worker.labels.Labels;
import dev.foresight.worker.labels.PromptLabel;
import dev.foresight.worker.probe.ProbeDataset;
import dev.foresight.worker.probe.ProbeHead;
import dev.foresight.worker.probe.ProbeHeads;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.scoring.Outcomes;
import dev.foresight.worker.scoring.PassAt1Interval;
import dev.foresight.worker.scoring.ProbeMetrics;
import dev.foresight.worker.tasks.TaskCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The probe path on one checkpoint: check that the bundle fits, one batched prefill over the
 * bundle's prompts with the gold answers appended (features and bits per byte together), the
 * probe's per-prompt probabilities, their mean with a 95% interval ({@link PassAt1Interval}: where a
 * generative evaluation would land, or the prompt bootstrap for a bundle without the probe's measured
 * error, which {@link #intervalNote} says). Optionally the
 * generative path on the same prompts as well, for the probe's real error on this checkpoint.
 */
public final class Evaluator {

  private Evaluator() {}

  /**
   * @param tasks task names to evaluate (empty: every task of the bundle)
   * @param validation sampling for the generative check, or null for the probe alone
   * @throws ProbeIncompatibleException when the bundle does not fit the checkpoint, or lacks a task asked for
   */
  public static EvaluationResult evaluate(LoadedCheckpoint checkpoint, ProbeBundle bundle, List<String> tasks,
      int batchSize, LabelSettings validation) {
    return evaluate(checkpoint, null, bundle, tasks, batchSize, validation, ProgressBar.Factory.STDERR);
  }

  /**
   * {@link #evaluate(LoadedCheckpoint, ProbeBundle, List, int, LabelSettings)} of the checkpoint at training
   * {@code step} (null when unknown), with its progress shown by {@code bars}.
   *
   * @throws ProbeIncompatibleException also when the probe reads the training step and none is given
   */
  public static EvaluationResult evaluate(LoadedCheckpoint checkpoint, Long step, ProbeBundle bundle, List<String> tasks,
      int batchSize, LabelSettings validation, ProgressBar.Factory bars) {
    bundle.checkFits(checkpoint.signature());
    ProbeManifest manifest = bundle.manifest();
    if (manifest.head().sideInputs().step() && step == null) {
      throw new ProbeIncompatibleException("the probe at " + bundle.directory(), List.of("it reads the checkpoint's"
          + " training step, and none is known: give --step (the checkpoint has no trainer_state.json with global_step)"));
    }
    TaskCatalog catalog = bundle.tasks(tasks);
    FeatureSpec spec = manifest.featureSpec();

    long start = System.nanoTime();
    Map<String, TaskFeatures> features;
    try (ProgressBar bar = bars.create("forward", "prompts", catalog.promptCount())) {
      features = new FeatureExtractor(checkpoint.model(), checkpoint.tokenizer())
          .extract(catalog, spec, batchSize, (done, total) -> bar.moveTo(done));
    }
    double forwardSeconds = seconds(start);

    start = System.nanoTime();
    Map<String, double[]> predictions = new LinkedHashMap<>();
    try (NDManager manager = checkpoint.model().manager().newSubManager()) {
      ProbeHead head = bundle.loadHead(manager);
      for (TaskFeatures f : features.values()) {
        predictions.put(f.task(), ProbeHeads.predict(head, ProbeDataset.unlabelled(f, spec.everyPosition(),
            manifest.head().sideInputs(), step), manager));
      }
    }
    Map<String, PassAt1Interval> intervals = new HashMap<>();
    predictions.forEach((task, p) -> intervals.put(task, PassAt1Interval.of(p, manifest.checkpointError(), step)));
    double probeSeconds = seconds(start);

    Labels labels = null;
    double generativeSeconds = 0;
    if (validation != null) {
      start = System.nanoTime();
      labels = generate(checkpoint, catalog, validation, batchSize, bars);
      generativeSeconds = seconds(start);
    }

    List<TaskEvaluation> results = new ArrayList<>();
    for (TaskFeatures f : features.values()) {
      double[] p = predictions.get(f.task());
      List<PromptPrediction> prompts = new ArrayList<>();
      for (int i = 0; i < f.rows(); i++) {
        PromptLabel label = labels == null ? null : labels.find(f.task(), f.ids().get(i)).orElseThrow();
        prompts.add(new PromptPrediction(f.ids().get(i), p[i], f.answerBits()[i], f.answerBytes()[i],
            label == null ? null : label.passed(), label == null ? null : label.samples()));
      }
      ProbeMetrics metrics = null;
      if (labels != null) {
        metrics = ProbeMetrics.of(p, outcomesInOrder(prompts));
      }
      results.add(new TaskEvaluation(f.task(), intervals.get(f.task()), f.answerBitsPerByte(), metrics, prompts));
    }
    Latency latency = new Latency();
    latency.setLoadSeconds(checkpoint.loadSeconds());
    latency.setForwardSeconds(forwardSeconds);
    latency.setProbeSeconds(probeSeconds);
    if (validation != null) {
      latency.setGenerativeSeconds(generativeSeconds);
    }
    return new EvaluationResult(checkpoint.summary(), manifest.family() + " probe at " + bundle.directory(), latency,
        validation, results);
  }

  /**
   * What a user should know about the bundle's intervals before reading them, or null when nothing:
   * a bundle written before {@code checkpointError} existed gets the prompt bootstrap, which covers
   * the generative pass@1 less often than it says.
   */
  public static String intervalNote(ProbeManifest manifest) {
    return manifest.checkpointError() != null ? null
        : "the probe bundle's probe.json has no checkpointError (trained by an older worker): the 95% interval is the"
            + " prompt bootstrap, which leaves out the probe's own error; train the bundle again for an interval"
            + " that covers a generative evaluation";
  }

  /**
   * What {@code evaluate} needs of a checkpoint before its weights load: that the bundle fits it,
   * that the bundle's prompts with their gold answers fit its context (else the bundle does not
   * fit), and, under {@code validation}, that each prompt leaves room for the new tokens (else the
   * validation settings are invalid).
   */
  public static LoadedCheckpoint.BeforeWeights beforeWeights(ProbeBundle bundle, List<String> tasks,
      LabelSettings validation) {
    TaskCatalog catalog = bundle.tasks(tasks);
    return (config, tokenizer) -> {
      bundle.checkFits(ModelSignature.of(config, tokenizer.hash()));
      try {
        ContextDemand.withAnswers(catalog).check(config, tokenizer);
      } catch (PromptTooLongException e) {
        throw new ProbeIncompatibleException("probe bundle " + bundle.directory(), List.of(e.getMessage()));
      }
      if (validation != null) {
        ContextDemand.withGeneration(catalog, validation.maxNewTokens()).check(config, tokenizer);
      }
    };
  }

  private static Labels generate(LoadedCheckpoint checkpoint, TaskCatalog catalog, LabelSettings settings, int batchSize,
      ProgressBar.Factory bars) {
    Map<String, List<PromptLabel>> byTask = new LinkedHashMap<>();
    catalog.names().forEach(n -> byTask.put(n, new ArrayList<>()));
    try (ProgressBar bar = bars.create("generate", "prompts", catalog.promptCount())) {
      new Labeller(checkpoint.model(), checkpoint.tokenizer()).label(catalog, settings, batchSize, (t, id) -> false,
          l -> byTask.get(l.task()).add(l), Long.MAX_VALUE, bar);
    }
    return new Labels(null, byTask);
  }

  private static Outcomes outcomesInOrder(List<PromptPrediction> prompts) {
    return new Outcomes(prompts.stream().mapToInt(PromptPrediction::passed).toArray(),
        prompts.stream().mapToInt(PromptPrediction::samples).toArray());
  }

  private static double seconds(long start) { return (System.nanoTime() - start) / 1e9; }
}
