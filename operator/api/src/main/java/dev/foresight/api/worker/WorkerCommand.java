package dev.foresight.api.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The arguments of {@code foresight evaluate} as the controller passes them to the worker pod. The
 * option names are constants so that the worker's command-line parser declares exactly these (a
 * worker test parses {@link #toArgs()} with the real parser).
 */
public record WorkerCommand(
    String checkpoint,
    String probe,
    List<String> tasks,
    String reportFile,
    String output,
    String device,
    Integer gpus,
    String dtype,
    Integer batchSize,
    Validation validation,
    Long step) {

  public static final String SUBCOMMAND = "evaluate";
  public static final String CHECKPOINT = "--checkpoint";
  public static final String PROBE = "--probe";
  /** The checkpoint's training step, for a probe that reads it. */
  public static final String STEP = "--step";
  public static final String TASKS = "--tasks";
  public static final String REPORT_FILE = "--report-file";
  public static final String OUTPUT = "--output";
  public static final String DEVICE = "--device";
  /** GPUs the model is split over by layers (from the device on); rendered only above 1. */
  public static final String GPUS = "--gpus";
  public static final String DTYPE = "--dtype";
  public static final String BATCH_SIZE = "--batch-size";
  public static final String VALIDATE = "--validate";
  public static final String SAMPLES = "--samples";
  public static final String MAX_NEW_TOKENS = "--max-new-tokens";
  public static final String TEMPERATURE = "--temperature";

  /** Where Kubernetes reads a container's termination message. */
  public static final String TERMINATION_LOG = "/dev/termination-log";

  /** The generative check that runs after the probe when spec.validation is set. */
  public record Validation(int samples, int maxNewTokens, double temperature) {}

  public WorkerCommand(String checkpoint, String probe, List<String> tasks, String reportFile, String output,
      String device, Integer gpus, String dtype, Integer batchSize, Validation validation) {
    this(checkpoint, probe, tasks, reportFile, output, device, gpus, dtype, batchSize, validation, null);
  }

  public WorkerCommand {
    Objects.requireNonNull(checkpoint, "checkpoint");
    Objects.requireNonNull(probe, "probe");
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }

  public List<String> toArgs() {
    List<String> args = new ArrayList<>();
    args.add(SUBCOMMAND);
    args.add(CHECKPOINT);
    args.add(checkpoint);
    args.add(PROBE);
    args.add(probe);
    addIfSet(args, STEP, step);
    if (!tasks.isEmpty()) {
      args.add(TASKS);
      args.add(String.join(",", tasks));
    }
    addIfSet(args, REPORT_FILE, reportFile);
    addIfSet(args, OUTPUT, output);
    addIfSet(args, DEVICE, device);
    if (gpus != null && gpus > 1) {
      args.add(GPUS);
      args.add(gpus.toString());
    }
    addIfSet(args, DTYPE, dtype);
    addIfSet(args, BATCH_SIZE, batchSize);
    if (validation != null) {
      args.add(VALIDATE);
      args.add(SAMPLES);
      args.add(Integer.toString(validation.samples()));
      args.add(MAX_NEW_TOKENS);
      args.add(Integer.toString(validation.maxNewTokens()));
      args.add(TEMPERATURE);
      args.add(Double.toString(validation.temperature()));
    }
    return args;
  }

  static void addIfSet(List<String> args, String option, Object value) {
    if (value != null) {
      args.add(option);
      args.add(value.toString());
    }
  }
}
