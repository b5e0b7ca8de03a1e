package dev.foresight.worker.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.foresight.worker.features.FeatureSpec;
import dev.foresight.worker.probe.HeadShape;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.scoring.CheckpointError;
import dev.foresight.worker.scoring.PassAt1Interval;
import dev.foresight.worker.scoring.ProbeMetrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code probe.json}: everything needed to run a probe and to know whether it may run on a
 * checkpoint, and how good it was when trained.
 *
 * @param format {@value #FORMAT}; a worker refuses formats it does not know
 * @param head the family and the sizes of its parameters
 * @param layers hidden-state indices read (Hugging Face indexing: 0 = embeddings), concatenated in this order
 * @param pooling which positions: one pooled vector (linear, mlp: last, mean, answer) or every position
 *     (attention, submodel: all, all-with-answer)
 * @param model the signature a checkpoint must have
 * @param tasks per task: the hash of the prompt set in {@code tasks/<task>.jsonl} and its size
 * @param training where the labels came from and how training went
 * @param heldOut per task: the probe's metrics on held-out prompts of the training checkpoints
 * @param checkpointError the probe's pass@1 error on data it did not fit, for the {@link PassAt1Interval}
 *     a generative evaluation would fall in; null in bundles written before it existed (their interval
 *     is the prompt bootstrap)
 * @param newestCheckpoint per task: the metrics, on every prompt of the newest labelled checkpoint, of a
 *     head trained alike without that checkpoint: a rehearsal of what the bundle meets, a later
 *     checkpoint whose states it never saw; what picks the best family ({@link #BY_UNSEEN_CHECKPOINT}).
 *     Null for a probe trained on one checkpoint and in bundles written before it existed
 * @param samplerTemperature the temperature at which the features replay the labels' sampler on the gold
 *     answers ({@link FeatureSpec#samplerTemperature}); null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"format", "head", "layers", "pooling", "samplerTemperature", "model", "tasks", "training", "heldOut",
    "checkpointError", "newestCheckpoint"})
public record ProbeManifest(int format, HeadShape head, List<Integer> layers, Pooling pooling, ModelSignature model,
    Map<String, TaskEntry> tasks, Training training, Map<String, ProbeMetrics> heldOut,
    CheckpointError checkpointError, Map<String, ProbeMetrics> newestCheckpoint, Double samplerTemperature) {

  public ProbeManifest(int format, HeadShape head, List<Integer> layers, Pooling pooling, ModelSignature model,
      Map<String, TaskEntry> tasks, Training training, Map<String, ProbeMetrics> heldOut,
      CheckpointError checkpointError, Map<String, ProbeMetrics> newestCheckpoint) {
    this(format, head, layers, pooling, model, tasks, training, heldOut, checkpointError, newestCheckpoint, null);
  }

  public static final int FORMAT = 1;

  /**
   * Orders bundles by how well they ranked prompts of a checkpoint they never saw: the mean AUROC on
   * the newest labelled checkpoint of the head trained without it, where both bundles have one,
   * otherwise the mean held-out AUROC (none counts as 0). The best family is the greatest. Held-out
   * prompts of checkpoints the probe trained on flatter the families that fit a checkpoint's own
   * states best, which are not those that carry over to later checkpoints (docs/demo.md, "Choices").
   */
  public static final Comparator<ProbeManifest> BY_UNSEEN_CHECKPOINT = (a, b) -> {
    OptionalDouble x = a.meanNewestCheckpointAuroc();
    OptionalDouble y = b.meanNewestCheckpointAuroc();
    return x.isPresent() && y.isPresent() ? Double.compare(x.getAsDouble(), y.getAsDouble())
        : Double.compare(a.meanHeldOutAuroc().orElse(0), b.meanHeldOutAuroc().orElse(0));
  };

  /**
   * The manifest to publish among trained families: the simplest family ({@link ProbeFamily} order:
   * linear, mlp, attention, submodel) whose mean AUROC on the unseen newest checkpoint is within one
   * standard error of the best one's; by {@link #BY_UNSEEN_CHECKPOINT} alone when that is not measured.
   * The one-standard-error rule of model selection: a lead smaller than the measurement's own noise
   * does not pay for a family with more freedom to fit the labelled checkpoints' states (on the
   * many-answers world the mlp won twice by 0.004 and 0.006, a quarter of a standard error or less over 384
   * prompts, and then missed pass@1 by more than linear: docs/demo.md, "Choices").
   */
  public static ProbeManifest best(Collection<ProbeManifest> trained) {
    ProbeManifest best = trained.stream().max(BY_UNSEEN_CHECKPOINT).orElseThrow();
    OptionalDouble auroc = best.meanNewestCheckpointAuroc();
    OptionalDouble error = best.newestCheckpointAurocError();
    if (auroc.isEmpty() || error.isEmpty()) {
      return best;
    }
    double floor = auroc.getAsDouble() - error.getAsDouble();
    return trained.stream()
        .filter(m -> m.meanNewestCheckpointAuroc().isPresent() && m.meanNewestCheckpointAuroc().getAsDouble() >= floor)
        .min(Comparator.comparing(ProbeManifest::family))
        .orElse(best);
  }

  /**
   * The standard error of {@link #meanNewestCheckpointAuroc}: per task Hanley and McNeil's (1982) from
   * the AUROC and the counts of passing and failing samples, combined as for a mean of independent
   * tasks. It treats samples as independent, where a prompt's samples share its score, so it is a
   * lower bound.
   */
  public OptionalDouble newestCheckpointAurocError() {
    if (newestCheckpoint == null) {
      return OptionalDouble.empty();
    }
    double sum = 0;
    int tasks = 0;
    for (ProbeMetrics m : newestCheckpoint.values()) {
      if (m.auroc() == null) {
        continue;
      }
      double a = m.auroc();
      double pos = Math.round(m.actualPassAt1() * m.samples());
      double neg = m.samples() - pos;
      if (pos < 1 || neg < 1) {
        continue;
      }
      double q1 = a / (2 - a);
      double q2 = 2 * a * a / (1 + a);
      sum += (a * (1 - a) + (pos - 1) * (q1 - a * a) + (neg - 1) * (q2 - a * a)) / (pos * neg);
      tasks++;
    }
    return tasks == 0 ? OptionalDouble.empty() : OptionalDouble.of(Math.sqrt(sum) / tasks);
  }

  public record TaskEntry(String promptSetHash, int prompts) {}

  /**
   * @param checkpoints the labelled checkpoints whose features and labels trained the probe
   * @param heldOutFraction share of each task's prompts held out (split by prompt, seeded)
   * @param epochs epochs run; bestEpoch the one whose weights were kept (early stopping)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Training(List<Source> checkpoints, double heldOutFraction, long seed, int epochs, int bestEpoch,
      double heldOutLoss) {}

  /** One labelled checkpoint: its fingerprint and, for people, where it was read from. */
  public record Source(String fingerprint, String location) {}

  public ProbeFamily family() { return head.family(); }

  /** What a checkpoint's features must be for this probe: its layers, pooling and sampler. */
  public FeatureSpec featureSpec() {
    return new FeatureSpec(layers, pooling, samplerTemperature);
  }

  /** The mean over tasks of the held-out AUROC (tasks without one left out). */
  public OptionalDouble meanHeldOutAuroc() {
    return meanAuroc(heldOut);
  }

  /** The mean over tasks of the newest labelled checkpoint's AUROC by a head trained without it; empty when not measured. */
  public OptionalDouble meanNewestCheckpointAuroc() {
    return newestCheckpoint == null ? OptionalDouble.empty() : meanAuroc(newestCheckpoint);
  }

  private static OptionalDouble meanAuroc(Map<String, ProbeMetrics> byTask) {
    return byTask.values().stream().filter(m -> m.auroc() != null).mapToDouble(ProbeMetrics::auroc).average();
  }

  /** Whether the probe was trained on exactly these checkpoints (fingerprints, in order): what makes a bundle reusable. */
  public boolean trainedOn(List<String> fingerprints) {
    return training != null && training.checkpoints().stream().map(Source::fingerprint).toList().equals(fingerprints);
  }

  /** Problems that make the manifest unusable on its own (before looking at any checkpoint). */
  List<String> problems() {
    List<String> p = new ArrayList<>();
    if (format != FORMAT) {
      p.add("format " + format + " is not supported by this worker (it reads format " + FORMAT + ")");
      return p;
    }
    if (head == null) {
      p.add("'head' is missing");
    }
    if (model == null) {
      p.add("'model' is missing");
    }
    if (layers == null || layers.isEmpty()) {
      p.add("'layers' is missing or empty");
    }
    if (pooling == null) {
      p.add("'pooling' is missing");
    }
    if (tasks == null || tasks.isEmpty()) {
      p.add("'tasks' is missing or empty");
    }
    if (!p.isEmpty()) {
      return p;
    }
    for (int layer : layers) {
      if (layer < 0 || layer > model.layers()) {
        p.add("layer " + layer + " is outside 0.." + model.layers());
      }
    }
    if (family().readsEveryPosition() != pooling.everyPosition()) {
      p.add("a " + family() + " probe cannot read " + pooling + "-pooled states");
    }
    if (family() == ProbeFamily.SUBMODEL && !layers.equals(List.of(model.layers() - head.blocks()))) {
      p.add("a submodel of " + head.blocks() + " block(s) reads layer " + (model.layers() - head.blocks()) + ", not " + layers);
    }
    if (head.inputWidth() != model.hiddenSize() * layers.size()) {
      p.add("head input width " + head.inputWidth() + " is not hidden size " + model.hiddenSize() + " × "
          + layers.size() + " layers");
    }
    return p;
  }
}
