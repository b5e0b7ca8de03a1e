package dev.foresight.worker.cli;

import ai.djl.ndarray.types.DataType;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.worker.demo.Demo;
import dev.foresight.worker.demo.DemoPlan;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.progress.ProgressBar;
import dev.foresight.worker.world.SyntheticWorld;
import dev.foresight.worker.world.WorldKind;
import dev.foresight.worker.world.WorldModelTrainer;
import dev.foresight.worker.world.WorldRecipe;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code foresight demo}: the whole paradigm on a small model it trains itself (see {@link Demo}).
 * The defaults are {@link DemoPlan#DEFAULT}'s.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    defaultValueProvider = DemoCommand.PlanDefaults.class,
    description = {"Train a small Llama on synthetic tasks (the single-answer world: addition, multiplication,"
        + " reversal; the many-answers world: any pair with a given sum, sorting with ties in any order, addition in"
        + " steps of any order), saving checkpoints;"
        + " label the first checkpoints by generation; train every probe family on them; then predict every later"
        + " checkpoint with the probes and check against generation. Prints a table and a summary, and writes them"
        + " with a JSON summary and a PNG plot into the working directory.",
        "A second run with the same settings reuses the checkpoints, labels and probes already there."})
final class DemoCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--workdir", defaultValue = "foresight-demo",
      description = "where checkpoints/step-<N>/, bundle/ and the results go (default: ${DEFAULT-VALUE})")
  Path workdir;

  @Option(names = "--world", description = "the task world: single-answer (one right answer per prompt) or"
      + " many-answers (many right answers, judged by a checker) (default: ${DEFAULT-VALUE})")
  String world;

  @Option(names = "--steps", description = "training steps of the world's model (default: ${DEFAULT-VALUE})")
  int steps;

  @Option(names = "--save-every", description = "a checkpoint every this many steps (default: ${DEFAULT-VALUE})")
  int saveEvery;

  @Option(names = "--learning-rate", description = "the peak learning rate, after a warm-up over 5%% of the steps and"
      + " before a cosine decay to a tenth of it (default: ${DEFAULT-VALUE})")
  double learningRate;

  @Option(names = "--prompts", description = "evaluation prompts per task (default: ${DEFAULT-VALUE})")
  int prompts;

  @Option(names = "--digits", description = "the most digits of an operand (addition, multiplication); in the"
      + " many-answers world, of a sum's target and the most terms of a stepwise addition (default: ${DEFAULT-VALUE})")
  int digits;

  @Option(names = "--letters", description = "the longest word to reverse; in the many-answers world, the most items"
      + " to sort, at most 10 (default: ${DEFAULT-VALUE}; many-answers: " + DemoPlan.MANY_ANSWERS_ITEMS + ")")
  int letters;

  @Option(names = "--size-decay", description = "in training, each problem size (digits, letters) is drawn this many"
      + " times as often as the next smaller one: below 1, long problems are rare and learnt late; the prompt sets draw"
      + " every size alike (default: ${DEFAULT-VALUE})")
  double sizeDecay;

  @Option(names = "--seed", description = "draws the prompt sets and initialises and feeds the model: another seed,"
      + " another world (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--labelled",
      description = "the first this many checkpoints are labelled to train the probes on (default: ${DEFAULT-VALUE})")
  int labelled;

  @Option(names = "--families", split = ",", description = "probe families to train (default: ${DEFAULT-VALUE})")
  List<String> families;

  @Option(names = "--family",
      description = "the family for bundle/ and the table (default: the simplest within one standard error of the best mean AUROC on the newest labelled checkpoint, scored by a head trained without it)")
  String family;

  @Option(names = "--pooling", description = "what the linear and mlp probes read: last (the prompt's last token), mean"
      + " (over the prompt) or answer (mean over the gold answer, read after the prompt); attention and submodel probes"
      + " read every position of the same span, the prompt's and, with answer, the gold answer's (default:"
      + " ${DEFAULT-VALUE})")
  String pooling;

  @Option(names = WorkerCommand.BATCH_SIZE,
      description = "prompts per forward pass; generation decodes this × samples sequences at once (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Mixin DeviceOptions devices;

  /** Takes the options' defaults from {@link DemoPlan#DEFAULT}, so help and behaviour cannot drift apart. */
  static final class PlanDefaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
      if (!(arg instanceof OptionSpec option)) {
        return null;
      }
      DemoPlan d = DemoPlan.DEFAULT;
      return switch (option.longestName()) {
        case "--world" -> d.world().kind().wireName();
        case "--steps" -> Integer.toString(d.world().training().steps());
        case "--save-every" -> Integer.toString(d.world().training().saveEvery());
        case "--learning-rate" -> Double.toString(d.world().training().learningRate());
        case "--prompts" -> Integer.toString(d.world().promptsPerTask());
        case "--seed" -> Long.toString(d.world().training().seed());
        case "--digits" -> Integer.toString(d.world().sizes().digits());
        case "--letters" -> Integer.toString(d.world().sizes().letters());
        case "--size-decay" -> Double.toString(d.world().sizes().trainingDecay());
        case "--labelled" -> Integer.toString(d.labelledCheckpoints());
        case "--families" -> d.families().stream().map(ProbeFamily::wireName).collect(Collectors.joining(","));
        case "--pooling" -> d.pooling().cliName();
        case WorkerCommand.BATCH_SIZE -> Integer.toString(d.batchSize());
        default -> null;
      };
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (devices.dtype(devices.device()) != DataType.FLOAT32) {
      throw new IllegalArgumentException("--dtype: the demo trains its model, which needs float32");
    }
    long start = System.nanoTime();
    new Demo(plan(), workdir, devices.device(), out, ProgressBar.Factory.STDERR).run();
    out.printf(Locale.ROOT, "demo finished in %s%n", ProgressBar.clock((System.nanoTime() - start) / 1e9));
    return 0;
  }

  /**
   * {@link DemoPlan#defaultFor} the chosen world, with the options given; the options left out take
   * {@link DemoPlan#DEFAULT}'s values, except the sizes, which take the chosen world's.
   */
  DemoPlan plan() {
    WorldKind kind = WorldKind.fromWireName(world);
    DemoPlan d = DemoPlan.defaultFor(kind);
    WorldModelTrainer.Options t = d.world().training();
    WorldModelTrainer.Options training = new WorldModelTrainer.Options(steps, saveEvery, t.batchSize(), t.hiddenSize(),
        t.layers(), t.heads(), learningRate, t.cosineDecay(), seed);
    SyntheticWorld.Sizes given = new SyntheticWorld.Sizes(given("--digits", digits, d.world().sizes().digits()),
        given("--letters", letters, d.world().sizes().letters()), sizeDecay);
    return new DemoPlan(new WorldRecipe(prompts, seed, given, training, kind), labelled,
        families.stream().map(ProbeFamily::fromWireName).toList(),
        family == null ? null : ProbeFamily.fromWireName(family), ExtractCommand.parsePooling(pooling), batchSize, d.probeSeed());
  }

  /** {@code value} when the option was given, else the chosen world's own default (the help shows DEFAULT's). */
  private int given(String option, int value, int worldDefault) {
    return spec.commandLine().getParseResult().hasMatchedOption(option) ? value : worldDefault;
  }
}
