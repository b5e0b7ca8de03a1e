package dev.foresight.worker.stages;

import dev.foresight.api.training.TrainingPlan;
import dev.foresight.api.v1alpha1.GeneratedLabels;
import dev.foresight.api.v1alpha1.ImportedLabels;
import dev.foresight.api.v1alpha1.PeriodicValidation;
import dev.foresight.api.v1alpha1.ValidationLabels;
import dev.foresight.api.v1alpha1.TrainingSettings;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.bundle.BundleTrainer;
import dev.foresight.worker.features.FeatureSpec;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.lmeval.LmEvalImport;
import dev.foresight.worker.labels.lmeval.MatchBy;
import dev.foresight.worker.labels.lmeval.MetricChoice;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.probe.ProbeTrainer;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A {@link TrainingPlan} as the stages read it: every unset setting resolved to the CLI's default
 * ({@code label}, {@code extract}, {@code train}), and the work folder's layout (TrainingPlan's
 * javadoc) in one place.
 */
public final class StagePlan {
  /** Families trained when the spec names none. */
  public static final List<ProbeFamily> DEFAULT_FAMILIES = List.of(ProbeFamily.LINEAR, ProbeFamily.MLP);
  /** With this many labelled checkpoints or more, the newest one is held out by default. */
  public static final int HOLD_OUT_FROM = 3;

  private final TrainingPlan plan;
  private final String workDir;

  public StagePlan(TrainingPlan plan) {
    this.plan = Objects.requireNonNull(plan, "plan");
    String dir = plan.workDir();
    while (dir.endsWith("/")) {
      dir = dir.substring(0, dir.length() - 1);
    }
    this.workDir = dir;
  }

  /** Reads the plan file the operator mounted; an unreadable or foreign file is invalid arguments naming it. */
  public static StagePlan read(Path file) {
    String json;
    try {
      json = Files.readString(file);
    } catch (IOException e) {
      throw WorkerException.invalidArguments("--plan " + file + ": cannot read it: " + e.getMessage());
    }
    try {
      return new StagePlan(TrainingPlan.fromJson(json));
    } catch (IllegalArgumentException e) {
      throw WorkerException.invalidArguments("--plan " + file + ": " + e.getMessage());
    }
  }

  public TrainingPlan plan() { return plan; }

  public String workDir() { return workDir; }

  public String checkpointsFile() { return workDir + "/checkpoints.json"; }

  /** The checkpoint's merged (or imported) label file; its shards lie beside it. */
  public String labels(long step) { return workDir + "/labels/step-" + step + "/labels.jsonl"; }

  public String features(long step, ProbeFamily family) {
    return workDir + "/features/step-" + step + "/" + family.wireName() + ".safetensors";
  }

  /** The folder of the family's bundle. */
  public String probe(ProbeFamily family) { return workDir + "/probes/" + family.wireName(); }

  public String output() {
    String uri = plan.output().getUri();
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  public boolean generated() { return plan.labels().getGenerate() != null; }

  /** Label shards per checkpoint (an import is one "shard" per checkpoint). */
  public int shards() { return generated() ? plan.labels().getGenerate().shards() : 1; }

  /** The task sets, read from the plan's task files, filtered by its names. */
  public TaskCatalog tasks(Storage storage) {
    Path local = storage.fetch(plan.tasks().getUri(), Purpose.INPUT);
    try {
      return TaskCatalog.read(List.of(local)).select(plan.tasks().getNames() == null ? List.of() : plan.tasks().getNames());
    } catch (IllegalArgumentException e) {
      throw WorkerException.invalidArguments("spec.tasks: " + e.getMessage());
    }
  }

  /** The generative labels' sampling; unset fields as {@code foresight label}'s defaults. */
  public LabelSettings labelSettings() {
    GeneratedLabels g = plan.labels().getGenerate();
    if (g == null) {
      return defaultLabelSettings();
    }
    try {
      return new LabelSettings(or(g.getSamples(), LabelSettings.DEFAULT_SAMPLES),
          or(g.getTemperature(), LabelSettings.DEFAULT_TEMPERATURE), or(g.getTopP(), LabelSettings.DEFAULT_TOP_P),
          or(g.getMaxNewTokens(), LabelSettings.DEFAULT_MAX_NEW_TOKENS), or(g.getSeed(), LabelSettings.DEFAULT_SEED));
    } catch (IllegalArgumentException e) {
      throw WorkerException.invalidArguments("spec.labels.generate: " + e.getMessage());
    }
  }

  /** What an import states as its settings: the CLI's, as {@code foresight label --import} does without options. */
  public static LabelSettings defaultLabelSettings() {
    return new LabelSettings(LabelSettings.DEFAULT_SAMPLES, LabelSettings.DEFAULT_TEMPERATURE, LabelSettings.DEFAULT_TOP_P,
        LabelSettings.DEFAULT_MAX_NEW_TOKENS, LabelSettings.DEFAULT_SEED);
  }

  /** The lm-eval import's settings; unset fields as {@code foresight label --import lm-eval}'s defaults. */
  public LmEvalImport.Options importOptions() {
    ImportedLabels i = plan.labels().getLmEval();
    try {
      return new LmEvalImport.Options(MatchBy.fromCliName(or(i.getMatch(), ImportedLabels.MATCH_PROMPT)),
          MetricChoice.parse(i.getMetric() == null ? List.of() : List.of(i.getMetric())), i.getFilter(),
          or(i.getMinCoverage(), LmEvalImport.Options.MIN_COVERAGE));
    } catch (IllegalArgumentException e) {
      throw WorkerException.invalidArguments("spec.labels.lmEval: " + e.getMessage());
    }
  }

  /** {@code <lmEval.uri>/<step>}: the folder of the step's sample logs. */
  public String samplesLogs(long step) {
    String uri = plan.labels().getLmEval().getUri();
    return (uri.endsWith("/") ? uri : uri + "/") + step;
  }

  /** Whether the labels are the validation outcomes of the monitor that names the checkpoints. */
  public boolean fromMonitorValidation() { return plan.labels().getMonitorValidation() != null; }

  /** {@code <monitor's validation.output>/step-<step>.json}: where the monitor's validated evaluation of the step put its output. */
  public String validationOutput(long step) {
    return PeriodicValidation.outputOf(plan.validationOutput(), step);
  }

  /** labels.monitorValidation.minCoverage; unset, the lm-eval import's default. */
  public double validationMinCoverage() {
    ValidationLabels v = plan.labels().getMonitorValidation();
    return v == null || v.getMinCoverage() == null ? LmEvalImport.Options.MIN_COVERAGE : v.getMinCoverage();
  }

  public List<ProbeFamily> families() {
    TrainingSettings p = plan.probe();
    if (p == null || p.getFamilies() == null) {
      return DEFAULT_FAMILIES;
    }
    try {
      return p.getFamilies().stream().map(ProbeFamily::fromWireName).distinct().toList();
    } catch (IllegalArgumentException e) {
      throw WorkerException.invalidArguments("spec.probe.families: " + e.getMessage());
    }
  }

  /** What {@code family} reads of a model of {@code numLayers} layers (as {@link FeatureSpec#forFamily}). */
  public FeatureSpec featureSpec(ProbeFamily family, int numLayers) {
    TrainingSettings p = plan.probe();
    List<Integer> layers = p == null || p.getLayers() == null ? List.of(Integer.parseInt(FeatureSpec.DEFAULT_LAYERS))
        : p.getLayers();
    Pooling pooling;
    try {
      pooling = p == null || p.getPooling() == null ? FeatureSpec.DEFAULT_POOLING : Pooling.fromCliName(p.getPooling());
      if (pooling.everyPosition()) {
        throw new IllegalArgumentException(pooling.cliName() + " keeps every position: name what the linear and mlp"
            + " probes read (last, mean or answer); attention and submodel read every position of its span");
      }
    } catch (IllegalArgumentException e) {
      throw WorkerException.invalidArguments("spec.probe.pooling: " + e.getMessage());
    }
    try {
      // Generated labels: the one-vector probes also read the chance that their sampler writes the gold answer.
      return FeatureSpec.forFamily(family, FeatureSpec.resolveLayers("spec.probe.layers", layers, numLayers), pooling,
          numLayers, BundleTrainer.Settings.BLOCKS).withSamplerTemperature(generated() ? labelSettings().temperature() : null);
    } catch (IllegalArgumentException e) {
      throw WorkerException.invalidArguments(e.getMessage().startsWith("spec.") ? e.getMessage()
          : "spec.probe.layers: " + e.getMessage());
    }
  }

  /** {@code foresight train}'s settings for {@code family}, with the plan's seed, held-out share and epochs. */
  public BundleTrainer.Settings trainerSettings(ProbeFamily family) {
    TrainingSettings p = plan.probe();
    long seed = p == null || p.getSeed() == null ? 0 : p.getSeed();
    BundleTrainer.Settings d = BundleTrainer.Settings.defaults(family, seed);
    ProbeTrainer.Options o = d.options();
    int epochs = p == null || p.getEpochs() == null ? o.maxEpochs() : p.getEpochs();
    double heldOut = p == null || p.getHeldOut() == null ? d.heldOutFraction() : p.getHeldOut();
    return new BundleTrainer.Settings(family, d.hidden(), d.heads(), d.headDim(), d.blocks(), heldOut,
        new ProbeTrainer.Options(epochs, o.patience(), o.batchSize(), o.learningRate(), o.weightDecay(), seed),
        d.sideInputs());
  }

  /**
   * The newest checkpoints held out of training, of {@code labelled}: the spec's, else 1 from 3 on, else 0.
   *
   * @throws WorkerException (invalid arguments) when none would be left to train on
   */
  public int heldOutCheckpoints(int labelled) {
    TrainingSettings p = plan.probe();
    int held = p != null && p.getHeldOutCheckpoints() != null ? p.getHeldOutCheckpoints()
        : labelled >= HOLD_OUT_FROM ? 1 : 0;
    if (held >= labelled) {
      throw WorkerException.invalidArguments("spec.probe.heldOutCheckpoints " + held + " leaves none of the "
          + labelled + " labelled checkpoints to train on");
    }
    return held;
  }

  private static <T> T or(T value, T fallback) { return value == null ? fallback : value; }
}
