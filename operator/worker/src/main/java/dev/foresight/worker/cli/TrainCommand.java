package dev.foresight.worker.cli;

import ai.djl.ndarray.NDManager;
import dev.foresight.worker.bundle.BundleTrainer;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.bundle.ProbeManifest;
import dev.foresight.worker.evaluation.LoadedCheckpoint;
import dev.foresight.worker.features.FeatureFile;
import dev.foresight.worker.labels.LabelFile;
import dev.foresight.worker.probe.AnswerInputs;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.probe.ProbeTrainer;
import dev.foresight.worker.probe.SideInputs;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.scoring.ProbeMetrics;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code foresight train}: a probe bundle from the features and labels of one or more checkpoints. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Train a probe on labelled checkpoints (pairs of --features and --labels, in the same order) and"
        + " write a probe bundle with its held-out metrics.",
        "Prompts are split into training and held-out (by prompt, seeded); training stops early on the held-out loss."})
final class TrainCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--family", required = true, description = "linear, mlp, attention or submodel")
  String family;

  @Option(names = "--features", required = true, description = "a feature file from foresight extract (repeat per checkpoint)")
  List<String> features;

  @Option(names = "--labels", required = true, description = "the label file of the same checkpoint (repeat, same order)")
  List<String> labels;

  @Mixin TaskOptions tasks;

  @Option(names = "--output", required = true, description = "the bundle directory to write")
  Path output;

  @Option(names = "--checkpoint",
      description = "submodel only: the checkpoint whose last blocks the probe copies (usually the last labelled one)")
  String checkpoint;

  @Option(names = "--blocks", defaultValue = "" + BundleTrainer.Settings.BLOCKS, description = "submodel: decoder blocks copied (default: ${DEFAULT-VALUE})")
  int blocks;

  @Option(names = "--hidden", defaultValue = "" + BundleTrainer.Settings.HIDDEN, description = "mlp: hidden units (default: ${DEFAULT-VALUE})")
  int hidden;

  @Option(names = "--heads", defaultValue = "" + BundleTrainer.Settings.HEADS, description = "attention: heads (default: ${DEFAULT-VALUE})")
  int heads;

  @Option(names = "--head-dim", defaultValue = "" + BundleTrainer.Settings.HEAD_DIM, description = "attention: width per head (default: ${DEFAULT-VALUE})")
  int headDim;

  @Option(names = "--held-out", defaultValue = "" + BundleTrainer.Settings.HELD_OUT,
      description = "share of each task's prompts held out for early stopping and metrics (default: ${DEFAULT-VALUE})")
  double heldOut;

  @Option(names = "--seed", defaultValue = "0", description = "initialisation, split and shuffling (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--epochs", description = "most epochs (default: by family, 300; submodel 100)")
  Integer epochs;

  @Option(names = "--patience", description = "epochs without a better held-out loss before stopping (default: by family)")
  Integer patience;

  @Option(names = "--learning-rate", description = "AdamW step size (default: by family)")
  Float learningRate;

  @Option(names = "--weight-decay", description = "AdamW decoupled weight decay (default: 0.01)")
  Float weightDecay;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ProbeFamily probeFamily = ProbeFamily.fromWireName(family);
    if (features.size() != labels.size()) {
      throw new IllegalArgumentException(features.size() + " --features but " + labels.size()
          + " --labels: give one label file per feature file, in the same order");
    }
    if (!(heldOut > 0 && heldOut < 1)) {
      throw new IllegalArgumentException("--held-out must be between 0 and 1, got " + heldOut);
    }
    ProbeTrainer.Options d = ProbeTrainer.Options.defaults(probeFamily, seed);
    ProbeTrainer.Options options = new ProbeTrainer.Options(epochs == null ? d.maxEpochs() : epochs,
        patience == null ? d.patience() : patience, d.batchSize(), learningRate == null ? d.learningRate() : learningRate,
        weightDecay == null ? d.weightDecay() : weightDecay, seed);
    BundleTrainer.Settings settings = new BundleTrainer.Settings(probeFamily, hidden, heads, headDim, blocks, heldOut, options,
        BundleTrainer.Settings.sideInputsByDefault(probeFamily));
    try (Storage storage = Storage.fromEnvironment()) {
      TaskCatalog catalog = tasks.read(storage);
      List<BundleTrainer.LabelledCheckpoint> data = new ArrayList<>();
      for (int i = 0; i < features.size(); i++) {
        data.add(new BundleTrainer.LabelledCheckpoint(
            FeatureFile.read(storage.fetch(features.get(i), Purpose.INPUT)),
            LabelFile.read(storage.fetch(labels.get(i), Purpose.INPUT)), features.get(i), labels.get(i)));
      }
      ProbeTrainer.Result result;
      LoadedCheckpoint source = checkpoint == null ? null
          : LoadedCheckpoint.load(storage, checkpoint, runtime.devices(), runtime.dataType());
      try (NDManager manager = NDManager.newBaseManager(runtime.device());
          ProgressBar bar = ProgressBar.onStderr("train " + probeFamily, "epochs", options.maxEpochs())) {
        result = BundleTrainer.train(data, catalog, settings, source == null ? null : source.model(), output, manager, bar);
      } finally {
        if (source != null) {
          source.close();
        }
      }
      out.printf(Locale.ROOT, "%s probe: %d epochs, kept epoch %d (held-out loss %.4f)%n", probeFamily, result.epochs(),
          result.bestEpoch(), result.heldOutLoss());
      printMetrics(out, result);
      out.println("reads beside the states: " + describe(ProbeBundle.read(output).manifest()));
      out.println("bundle: " + output);
    }
    return 0;
  }

  /** What the head reads beside the states, in words: why a probe may need --step or a temperature. */
  static String describe(ProbeManifest m) {
    SideInputs side = m.head().sideInputs();
    if (!side.any()) {
      return "nothing";
    }
    List<String> parts = new ArrayList<>(List.of("the gold answer's likelihood"));
    if (side.answer() == AnswerInputs.WITH_SAMPLER) {
      parts.add("the chance that the labels' sampler (temperature " + m.samplerTemperature() + ") writes it");
    }
    if (side.step()) {
      parts.add("the training step (evaluate needs it: --step, or the checkpoint's trainer_state.json)");
    }
    return String.join("; ", parts);
  }

  static void printMetrics(PrintWriter out, ProbeTrainer.Result result) {
    out.printf(Locale.ROOT, "%-16s %8s %8s %8s %8s %8s %10s %10s%n", "held out", "prompts", "AUROC", "MSE", "Brier", "ECE",
        "predicted", "actual");
    result.heldOut().forEach((task, m) -> out.printf(Locale.ROOT, "%-16s %8d %8s %8.4f %8.4f %8.4f %10.3f %10.3f%n",
        task, m.prompts(), auroc(m), m.mse(), m.brier(), m.ece(), m.predictedPassAt1(), m.actualPassAt1()));
  }

  static String auroc(ProbeMetrics m) {
    return m.auroc() == null ? "n/a" : String.format(Locale.ROOT, "%.3f", m.auroc());
  }
}
