package dev.foresight.worker.cli;

import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.worker.evaluation.ContextDemand;
import dev.foresight.worker.evaluation.LoadedCheckpoint;
import dev.foresight.worker.features.FeatureExtractor;
import dev.foresight.worker.features.FeatureFile;
import dev.foresight.worker.features.FeatureSpec;
import dev.foresight.worker.features.TaskFeatures;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.tasks.TaskCatalog;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code foresight extract}: a checkpoint's hidden-state features on task sets, for {@code foresight train}. */
@Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Save the hidden states of chosen layers and pooling on task prompts (safetensors), with the gold"
        + " answers' bits per byte from the same forward pass.")
final class ExtractCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--checkpoint", required = true, description = "checkpoint directory, file://, pvc:// or s3://")
  String checkpoint;

  @Mixin TaskOptions tasks;

  @Option(names = "--layers", split = ",", defaultValue = FeatureSpec.DEFAULT_LAYERS,
      description = "hidden-state indices: 0 = embeddings, L = after the final norm, negative counts from L+1"
          + " (-1 = L); several are concatenated (default: ${DEFAULT-VALUE})")
  List<Integer> layers;

  @Option(names = "--pooling", defaultValue = "last",
      description = "last (the prompt's last token), mean (over the prompt), answer (mean over the gold answer,"
          + " read after the prompt); for attention and submodel probes every position: all (the prompt's) or"
          + " all-with-answer (the prompt's and the gold answer's) (default: ${DEFAULT-VALUE})")
  String pooling;

  @Option(names = "--temperature", defaultValue = "" + LabelSettings.DEFAULT_TEMPERATURE,
      description = "the labels' sampling temperature: the features also hold each gold answer's chance of being one"
          + " such sample, which the linear and mlp probes read; 0 for none (greedy or imported labels)"
          + " (default: ${DEFAULT-VALUE}, label's)")
  double temperature;

  @Option(names = WorkerCommand.STEP, paramLabel = "N",
      description = "the checkpoint's training step, which the linear and mlp probes read when every checkpoint"
          + " has one (default: global_step of its trainer_state.json, if any)")
  Long step;

  @Option(names = "--output", required = true, description = "the feature file to write (.safetensors)")
  Path output;

  @Mixin RuntimeOptions runtime;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (Storage storage = Storage.fromEnvironment()) {
      TaskCatalog catalog = tasks.read(storage);
      try (LoadedCheckpoint ckpt = LoadedCheckpoint.load(storage, checkpoint, runtime.devices(), runtime.dataType(),
          ContextDemand.withAnswers(catalog)::check)) {
        if (!(temperature >= 0 && temperature < Double.POSITIVE_INFINITY)) {
          throw new IllegalArgumentException("--temperature must be 0 or more, got " + temperature);
        }
        FeatureSpec featureSpec = new FeatureSpec(FeatureSpec.resolveLayers("--layers", layers, ckpt.checkpoint().config().numLayers()),
            parsePooling(pooling)).withSamplerTemperature(temperature);
        Long at = EvaluationOptions.step(step, ckpt.checkpoint());
        long start = System.nanoTime();
        Map<String, TaskFeatures> features;
        try (ProgressBar bar = ProgressBar.onStderr("extract", "prompts", catalog.promptCount())) {
          features = new FeatureExtractor(ckpt.model(), ckpt.tokenizer())
              .extract(catalog, featureSpec, runtime.batchSize(), (done, total) -> bar.moveTo(done));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        FeatureFile.of(ckpt.fingerprint(), checkpoint, at, ckpt.signature(), featureSpec, catalog, features).write(output);
        out.printf(Locale.ROOT, "%-16s %8s %12s%n", "task", "prompts", "answer bpb");
        features.values().forEach(f -> out.printf(Locale.ROOT, "%-16s %8d %12.4f%n", f.task(), f.rows(), f.answerBitsPerByte()));
        out.printf(Locale.ROOT, "layers %s, pooling %s, %d features per position, sampler %s, step %s, %.2f s forward → %s%n",
            featureSpec.layers(), featureSpec.pooling().cliName(), featureSpec.width(ckpt.checkpoint().config().hiddenSize()),
            featureSpec.samplerTemperature() == null ? "none" : "at temperature " + featureSpec.samplerTemperature(),
            at == null ? "unknown" : at, seconds, output);
      }
    }
    return 0;
  }

  /** A {@code --pooling} value (also {@code demo}'s), an error naming the option. */
  static Pooling parsePooling(String name) {
    try {
      return Pooling.fromCliName(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--" + e.getMessage());
    }
  }
}
