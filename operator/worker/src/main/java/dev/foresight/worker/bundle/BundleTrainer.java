package dev.foresight.worker.bundle;

import ai.djl.ndarray.NDManager;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.features.FeatureFile;
import dev.foresight.worker.features.FeatureSpec;
import dev.foresight.worker.features.TaskFeatures;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.Labels;
import dev.foresight.worker.labels.PromptLabel;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.probe.HeadShape;
import dev.foresight.worker.probe.AnswerInputs;
import dev.foresight.worker.probe.HeadWeights;
import dev.foresight.worker.probe.ProbeDataset;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.probe.ProbeHead;
import dev.foresight.worker.probe.ProbeHeads;
import dev.foresight.worker.probe.ProbeTrainer;
import dev.foresight.worker.probe.SideInputs;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.scoring.CheckpointError;
import dev.foresight.worker.scoring.ProbeMetrics;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Trains a probe on one or more labelled checkpoints (each: its features and its labels) and
 * writes the bundle. Everything is checked first, so a mismatched pair fails before training:
 * features and labels of the same checkpoint, the same model and feature spec across checkpoints,
 * the same prompt sets as the task files, a pooling the family can read.
 */
public final class BundleTrainer {

  /** One labelled checkpoint: features from {@code foresight extract}, labels from {@code foresight label}. */
  public record LabelledCheckpoint(FeatureFile features, Labels labels, String featuresName, String labelsName) {}

  /**
   * @param hidden MLP hidden units
   * @param heads attention heads; headDim their width
   * @param blocks decoder blocks the submodel copies
   * @param sideInputs whether the probe reads {@link SideInputs} beside the states (linear and mlp only): the
   *     gold answer's likelihood ({@link AnswerInputs}), the sampler's chance of it when the features replay
   *     the labels' sampler, and ln(step) when every checkpoint's step is known and they are not all one
   */
  public record Settings(ProbeFamily family, int hidden, int heads, int headDim, int blocks, double heldOutFraction,
      ProbeTrainer.Options options, boolean sideInputs) {
    public static final int HIDDEN = 64;
    public static final int HEADS = 4;
    public static final int HEAD_DIM = 16;
    public static final int BLOCKS = 1;
    public static final double HELD_OUT = 0.25;

    /** The sizes {@code foresight train} uses when not told otherwise, and the family's training defaults. */
    public static Settings defaults(ProbeFamily family, long seed) {
      return new Settings(family, HIDDEN, HEADS, HEAD_DIM, BLOCKS, HELD_OUT, ProbeTrainer.Options.defaults(family, seed),
          sideInputsByDefault(family));
    }

    /** The one-vector families read the {@link SideInputs} unless told otherwise (docs/demo.md, "Choices"). */
    public static boolean sideInputsByDefault(ProbeFamily family) {
      return !family.readsEveryPosition();
    }
  }

  private BundleTrainer() {}

  /**
   * @param submodelSource the model whose last blocks a submodel probe starts from (null for other families)
   * @return the training result (the head's held-out metrics by task)
   */
  public static ProbeTrainer.Result train(List<LabelledCheckpoint> data, TaskCatalog tasks, Settings settings,
      CausalLm submodelSource, Path output, NDManager manager, ProgressBar progress) {
    if (data.isEmpty()) {
      throw WorkerException.invalidArguments("no labelled checkpoints: give --features and --labels at least once");
    }
    FeatureFile.Provenance first = data.get(0).features().provenance();
    ModelSignature model = first.model();
    FeatureSpec spec = first.spec();
    for (LabelledCheckpoint d : data) {
      checkPair(d, model, spec, tasks);
    }
    HeadShape shape = shape(settings, spec, model, submodelSource);
    SideInputs side = SideInputs.NONE;
    if (settings.sideInputs()) {
      if (settings.family().readsEveryPosition()) {
        throw WorkerException.invalidArguments("a " + settings.family() + " probe reads every position: answer and step"
            + " inputs join the one-vector probes (linear, mlp) only");
      }
      side = sideInputs(data, spec);
      shape = shape.withSideInputs(side);
    }

    ProbeDataset dataset = new ProbeDataset(spec.width(model.hiddenSize()), spec.everyPosition(), side);
    for (int source = 0; source < data.size(); source++) {
      LabelledCheckpoint d = data.get(source);
      Long step = d.features().provenance().step();
      for (TaskSet set : tasks.sets()) {
        TaskFeatures f = d.features().tasks().get(set.name());
        for (int i = 0; i < f.rows(); i++) {
          String id = f.ids().get(i);
          PromptLabel label = d.labels().find(set.name(), id).orElseThrow(() -> WorkerException.invalidArguments(
              "labels " + d.labelsName() + " lack prompt '" + id + "' of task " + set.name()
                  + ": finish labelling (run foresight label again with the same arguments)"));
          dataset.add(f, i, new ProbeDataset.Row(set.name(), id, source, label.passed(), label.samples()), step);
        }
      }
    }
    ProbeDataset.Split split;
    try {
      split = dataset.split(settings.heldOutFraction(), settings.options().seed());
    } catch (IllegalArgumentException e) {
      throw WorkerException.invalidArguments(e.getMessage());
    }
    ProbeHead head = freshHead(settings, shape, submodelSource, split.train(), manager);
    ProbeTrainer.Result result = ProbeTrainer.train(head, split.train(), split.heldOut(), settings.options(), manager, progress);
    UnseenCheckpoint unseen = unseenCheckpoint(result, dataset, split, rehearsalSteps(data), settings, shape,
        submodelSource, manager, progress);

    Map<String, ProbeManifest.TaskEntry> entries = new LinkedHashMap<>();
    tasks.sets().forEach(s -> entries.put(s.name(), new ProbeManifest.TaskEntry(s.promptSetHash(), s.size())));
    List<ProbeManifest.Source> sources = new ArrayList<>();
    data.forEach(d -> sources.add(new ProbeManifest.Source(d.features().provenance().checkpoint(),
        d.features().provenance().location())));
    ProbeManifest manifest = new ProbeManifest(ProbeManifest.FORMAT, shape, spec.layers(), spec.pooling(), model, entries,
        new ProbeManifest.Training(sources, settings.heldOutFraction(), settings.options().seed(), result.epochs(),
            result.bestEpoch(), result.heldOutLoss()),
        result.heldOut(), unseen.error(), unseen.newestCheckpoint(), spec.samplerTemperature());
    ProbeBundle.write(output, manifest, result.head(), tasks);
    return result;
  }

  /**
   * The side inputs {@code data} can give: the likelihood's, with the sampler's when the features replay
   * one, and the step when every checkpoint has one and there are two or more (one step teaches no trend).
   */
  private static SideInputs sideInputs(List<LabelledCheckpoint> data, FeatureSpec spec) {
    long steps = data.stream().map(d -> d.features().provenance().step()).distinct().count();
    boolean everyStep = data.stream().allMatch(d -> d.features().provenance().step() != null);
    return new SideInputs(spec.samplerTemperature() == null ? AnswerInputs.WIDTH : AnswerInputs.WITH_SAMPLER,
        everyStep && steps >= 2);
  }

  private static ProbeHead freshHead(Settings settings, HeadShape shape, CausalLm submodelSource, ProbeDataset train,
      NDManager manager) {
    HeadWeights weights = HeadWeights.initialise(manager, settings.options().seed());
    return settings.family() == ProbeFamily.SUBMODEL
        ? ProbeHeads.submodel(shape, submodelSource, weights)
        : ProbeHeads.create(shape, weights, train.normStats());
  }

  /**
   * The probe's pass@1 error on data it did not fit ({@link CheckpointError}): the trained head on
   * its held-out prompts, per (labelled checkpoint, task); and, with two or more checkpoints, the
   * newest one's every prompt scored by a head trained alike on the others (the same prompt split,
   * the same settings, for at most the epochs the bundle's head kept), which is what a later
   * checkpoint looks like to the bundle: a checkpoint whose states the probe never saw. That
   * second head costs one more (shorter) training and is discarded.
   */
  private static UnseenCheckpoint unseenCheckpoint(ProbeTrainer.Result trained, ProbeDataset all,
      ProbeDataset.Split split, RehearsalSteps steps, Settings settings, HeadShape shape, CausalLm submodelSource,
      NDManager manager, ProgressBar progress) {
    int checkpoints = steps.checkpoints();
    List<CheckpointError.Pair> heldOut = List.copyOf(
        pairs(trained.head(), split.heldOut(), r -> r.source() + "\u0000" + r.task(), manager).values());
    Map<String, CheckpointError.Pair> newest = Map.of();
    if (checkpoints > 1) {
      int last = checkpoints - 1;
      ProbeDataset earlierTrain = split.train().select(r -> r.source() < last);
      ProbeDataset earlierHeldOut = split.heldOut().select(r -> r.source() < last);
      ProbeHead earlier = freshHead(settings, shape, submodelSource, earlierTrain, manager);
      ProbeTrainer.Options o = settings.options();
      // The epochs the bundle's head needed bound this one's: no patience spent past them.
      int epochs = Math.max(1, trained.bestEpoch());
      ProbeTrainer.Options alike = new ProbeTrainer.Options(epochs, epochs, o.batchSize(), o.learningRate(),
          o.weightDecay(), o.seed());
      ProbeTrainer.Result withoutNewest = ProbeTrainer.train(earlier, earlierTrain, earlierHeldOut, alike, manager,
          progress);
      newest = pairs(withoutNewest.head(), all.select(r -> r.source() == last), ProbeDataset.Row::task, manager);
    }
    Map<String, ProbeMetrics> newestMetrics = null;
    if (!newest.isEmpty()) {
      newestMetrics = new LinkedHashMap<>();
      for (Map.Entry<String, CheckpointError.Pair> e : newest.entrySet()) {
        newestMetrics.put(e.getKey(), ProbeMetrics.of(e.getValue().predicted(), e.getValue().outcomes()));
      }
    }
    // Too few prompts held out to measure anything: the bundle keeps the prompt bootstrap.
    CheckpointError error = heldOut.isEmpty() ? null
        : CheckpointError.estimate(heldOut, List.copyOf(newest.values()), steps.newest(), steps.previous());
    return new UnseenCheckpoint(error, newestMetrics);
  }

  /**
   * The labelled checkpoints' count, and the training steps of the newest and the one before it when
   * both are known and increase (else null): how far ahead the rehearsal looked.
   */
  private record RehearsalSteps(int checkpoints, Long newest, Long previous) {}

  private static RehearsalSteps rehearsalSteps(List<LabelledCheckpoint> data) {
    int n = data.size();
    Long newest = n < 2 ? null : data.get(n - 1).features().provenance().step();
    Long previous = n < 2 ? null : data.get(n - 2).features().provenance().step();
    boolean known = newest != null && previous != null && previous > 0 && newest > previous;
    return new RehearsalSteps(n, known ? newest : null, known ? previous : null);
  }

  /** What the held-out data says of the probe on a checkpoint it never saw: its pass@1 error, and per task its metrics on the newest labelled checkpoint. */
  private record UnseenCheckpoint(CheckpointError error, Map<String, ProbeMetrics> newestCheckpoint) {}

  /**
   * {@code rows} grouped by {@code key} (in order of first appearance), each group with
   * {@code head}'s predictions and its outcomes; groups of one prompt measure no spread and are
   * left out.
   */
  private static Map<String, CheckpointError.Pair> pairs(ProbeHead head, ProbeDataset rows,
      Function<ProbeDataset.Row, String> key, NDManager manager) {
    double[] predicted = ProbeHeads.predict(head, rows, manager);
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      groups.computeIfAbsent(key.apply(rows.rows().get(i)), k -> new ArrayList<>()).add(i);
    }
    Map<String, CheckpointError.Pair> pairs = new LinkedHashMap<>();
    groups.forEach((k, group) -> {
      if (group.size() >= 2) {
        int[] idx = group.stream().mapToInt(Integer::intValue).toArray();
        pairs.put(k, new CheckpointError.Pair(Arrays.stream(idx).mapToDouble(i -> predicted[i]).toArray(), rows.outcomes(idx)));
      }
    });
    return pairs;
  }

  private static void checkPair(LabelledCheckpoint d, ModelSignature model, FeatureSpec spec, TaskCatalog tasks) {
    FeatureFile.Provenance p = d.features().provenance();
    if (!p.checkpoint().equals(d.labels().header().checkpoint())) {
      throw WorkerException.invalidArguments("features " + d.featuresName() + " come from checkpoint " + p.checkpoint()
          + ", labels " + d.labelsName() + " from " + d.labels().header().checkpoint() + ": pair each checkpoint's own");
    }
    if (!p.model().equals(model)) {
      throw WorkerException.invalidArguments("features " + d.featuresName() + " come from another model: "
          + String.join("; ", model.mismatches(p.model())));
    }
    if (!p.spec().equals(spec)) {
      throw WorkerException.invalidArguments("features " + d.featuresName() + " have layers " + p.spec().layers()
          + ", pooling " + p.spec().pooling() + " and sampler temperature " + p.spec().samplerTemperature()
          + ", the first ones " + spec.layers() + ", " + spec.pooling() + " and " + spec.samplerTemperature()
          + ": extract every checkpoint alike");
    }
    LabelSettings sampled = d.labels().header().settings();
    if (spec.samplerTemperature() != null && sampled != null && sampled.temperature() > 0
        && Math.abs(sampled.temperature() - spec.samplerTemperature()) > 1e-9) {
      throw WorkerException.invalidArguments("features " + d.featuresName() + " replay a sampler at temperature "
          + spec.samplerTemperature() + ", and labels " + d.labelsName() + " were sampled at " + sampled.temperature()
          + ": extract with --temperature " + sampled.temperature());
    }
    for (TaskSet set : tasks.sets()) {
      String hash = set.promptSetHash();
      if (!hash.equals(p.promptSetHashes().get(set.name()))) {
        throw WorkerException.invalidArguments("features " + d.featuresName() + (p.promptSetHashes().containsKey(set.name())
            ? " were extracted from another version of task " + set.name() : " lack task " + set.name()));
      }
      if (!hash.equals(d.labels().header().tasks().get(set.name()))) {
        throw WorkerException.invalidArguments("labels " + d.labelsName() + (d.labels().header().tasks().containsKey(set.name())
            ? " were made from another version of task " + set.name() : " lack task " + set.name()));
      }
    }
  }

  /** The poolings that give every position (or one vector), for an error message: "all or all-with-answer". */
  private static String poolings(boolean everyPosition) {
    List<String> names = Arrays.stream(Pooling.values()).filter(p -> p.everyPosition() == everyPosition)
        .map(Pooling::cliName).toList();
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
  }

  private static HeadShape shape(Settings s, FeatureSpec spec, ModelSignature model, CausalLm submodelSource) {
    int width = spec.width(model.hiddenSize());
    boolean all = spec.everyPosition();
    if (s.family().readsEveryPosition() && !all) {
      throw WorkerException.invalidArguments("a " + s.family() + " probe reads every position: extract with --pooling "
          + poolings(true));
    }
    if (!s.family().readsEveryPosition() && all) {
      throw WorkerException.invalidArguments("a " + s.family() + " probe reads one vector per prompt: extract with"
          + " --pooling " + poolings(false));
    }
    return switch (s.family()) {
      case LINEAR -> HeadShape.linear(width);
      case MLP -> HeadShape.mlp(width, s.hidden());
      case ATTENTION -> HeadShape.attention(width, s.heads(), s.headDim());
      case SUBMODEL -> {
        int from = model.layers() - s.blocks();
        if (!spec.layers().equals(List.of(from))) {
          throw WorkerException.invalidArguments("a submodel probe of " + s.blocks() + " block(s) reads layer " + from
              + " (L−k): extract with --layers " + from + " --pooling " + poolings(true));
        }
        if (submodelSource == null) {
          throw WorkerException.invalidArguments("a submodel probe copies a checkpoint's last blocks: give --checkpoint");
        }
        ModelSignature source = ModelSignature.of(submodelSource.config(), model.tokenizerHash());
        List<String> mismatches = model.mismatches(source);
        if (!mismatches.isEmpty()) {
          throw WorkerException.invalidArguments("--checkpoint is another model than the features': "
              + String.join("; ", mismatches));
        }
        yield HeadShape.submodel(width, s.blocks());
      }
    };
  }
}
