package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.foresight.api.report.EvaluationReport;
import dev.foresight.api.report.ReportCodec;
import dev.foresight.api.report.TerminationMessage;
import dev.foresight.api.v1alpha1.TaskResult;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.checkpoint.Checkpoint;
import dev.foresight.worker.checkpoint.CheckpointWriter;
import dev.foresight.worker.checkpoint.ModelConfig;
import dev.foresight.worker.labels.LabelFile;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.safetensors.SafetensorsDtype;
import dev.foresight.worker.safetensors.SafetensorsFile;
import dev.foresight.worker.safetensors.SafetensorsWriter;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import dev.foresight.worker.tokenizer.CharacterTokenizer;
import dev.foresight.worker.world.SyntheticWorld;
import dev.foresight.worker.world.TestWorld;
import dev.foresight.worker.world.WorldModelTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code foresight evaluate} (the pod entrypoint) and {@code foresight predict}. */
class EvaluateCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TestWorld world = TestWorld.get();

  private String[] evaluate(Path checkpoint, Path bundle, Path report, String... extra) {
    List<String> args = new ArrayList<>(List.of(WorkerCommand.SUBCOMMAND, WorkerCommand.CHECKPOINT, checkpoint.toString(),
        WorkerCommand.PROBE, bundle.toString(), WorkerCommand.REPORT_FILE, report.toString()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  @Test
  void reportAndPerPromptOutput() throws Exception {
    Path dir = world.scratch("evaluate");
    Path report = dir.resolve("termination-log");
    Path output = dir.resolve("out/step-400.json");
    Cli.Run ran = Cli.run(evaluate(world.checkpoint(400), world.bundle("linear"), report, WorkerCommand.OUTPUT,
        output.toString())).expectSuccess();

    EvaluationReport r = ReportCodec.decode(Files.readString(report));
    try (Checkpoint c = Checkpoint.open(world.checkpoint(400))) {
      assertEquals(c.fingerprint(), r.getCheckpoint().getFingerprint());
      assertEquals(c.parameterCount(), r.getCheckpoint().getParameters());
    }
    assertEquals("LlamaForCausalLM", r.getCheckpoint().getArchitecture());
    assertFalse(r.isTruncated());
    assertEquals(world.tasks().names(), r.getResults().stream().map(TaskResult::getTask).toList());
    for (TaskResult t : r.getResults()) {
      assertEquals(TestWorld.PROMPTS_PER_TASK, t.getPrompts());
      assertTrue(t.getCi95().get(0) <= t.getPredictedPassAt1() && t.getPredictedPassAt1() <= t.getCi95().get(1), t.getTask());
      assertTrue(t.getCi95().get(1) - t.getCi95().get(0) > 0, "prompts differ, so the interval has width");
      assertTrue(t.getAnswerBitsPerByte() > 0);
      assertNull(t.getActualPassAt1(), "no generation without --validate");
    }
    assertTrue(r.getLatency().getForwardSeconds() > 0 && r.getLatency().getLoadSeconds() > 0);
    assertNull(r.getLatency().getGenerativeSeconds());

    JsonNode out = JSON.readTree(output.toFile());
    assertEquals(3, out.path("tasks").size());
    assertTrue(out.path("validation").isMissingNode(), "no sampling settings without --validate");
    JsonNode add = out.path("tasks").get(0);
    assertEquals(TestWorld.PROMPTS_PER_TASK, add.path("prompts").size());
    double mean = 0;
    for (JsonNode p : add.path("prompts")) {
      mean += p.path("predicted").asDouble() / TestWorld.PROMPTS_PER_TASK;
    }
    assertEquals(r.getResults().get(0).getPredictedPassAt1(), mean, 1e-4, "the report's pass@1 is the prompts' mean");

    // The interval stands for a generative evaluation: its two parts are in the output, measured at training time.
    JsonNode predicted = add.path("predicted");
    assertEquals("generative", predicted.path("basis").asText(), predicted.toString());
    assertTrue(predicted.path("probeError").asDouble() > 0, predicted.toString());
    assertTrue(predicted.path("samplingError").asDouble() > 0, predicted.toString());
    JsonNode error = JSON.readTree(world.bundle("linear").resolve("probe.json").toFile()).path("checkpointError");
    assertEquals(4, error.path("samplesPerPrompt").asInt(), error.toString());
    assertTrue(error.has("newestCheckpointBias"), "two labelled checkpoints: the newest is scored by a probe without it");
    assertFalse(ran.err().contains("prompt bootstrap"), ran.err());
  }

  @Test
  void aBundleWithoutTheMeasuredErrorFallsBackToThePromptBootstrapAndSaysSo() throws Exception {
    Path dir = world.scratch("older-bundle");
    Path bundle = copy(world.bundle("linear"), dir.resolve("bundle"));
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode manifest = (ObjectNode) mapper.readTree(bundle.resolve("probe.json").toFile());
    manifest.remove("checkpointError");
    mapper.writeValue(bundle.resolve("probe.json").toFile(), manifest);
    Path output = dir.resolve("out.json");
    Cli.Run run = Cli.run(evaluate(world.checkpoint(400), bundle, dir.resolve("termination-log"), WorkerCommand.OUTPUT,
        output.toString())).expectSuccess();
    assertTrue(run.err().contains("no checkpointError") && run.err().contains("prompt bootstrap"), run.err());
    JsonNode predicted = JSON.readTree(output.toFile()).path("tasks").get(0).path("predicted");
    assertEquals("promptBootstrap", predicted.path("basis").asText(), predicted.toString());
    assertTrue(predicted.path("probeError").isMissingNode(), predicted.toString());
    assertTrue(predicted.path("low").asDouble() <= predicted.path("passAt1").asDouble());
  }

  @Test
  void validateRunsTheGenerativePathWithTheLabelCommandsCode() throws Exception {
    Path dir = world.scratch("validate");
    Path report = dir.resolve("termination-log");
    Cli.run(evaluate(world.checkpoint(400), world.bundle("mlp"), report, WorkerCommand.TASKS, "rev,mul",
        WorkerCommand.VALIDATE, WorkerCommand.SAMPLES, "4", WorkerCommand.MAX_NEW_TOKENS, "40",
        WorkerCommand.TEMPERATURE, "0.6")).expectSuccess();
    EvaluationReport r = ReportCodec.decode(Files.readString(report));
    assertEquals(List.of("rev", "mul"), r.getResults().stream().map(TaskResult::getTask).toList());
    assertNotNull(r.getLatency().getGenerativeSeconds());

    // The same sampling through `foresight label` gives the same actual pass@1.
    Path labels = dir.resolve("labels.jsonl");
    Cli.run("label", "--checkpoint", world.checkpoint(400).toString(), "--task-files", world.tasksDir().toString(),
        "--tasks", "rev,mul", "--output", labels.toString(), "--samples", "4", "--temperature", "0.6",
        "--max-new-tokens", "40", "--seed", Long.toString(EvaluationOptions.VALIDATION_SEED)).expectSuccess();
    for (TaskResult t : r.getResults()) {
      double actual = LabelFile.read(labels).outcomes(t.getTask()).passAt1();
      assertEquals(actual, t.getActualPassAt1(), 1e-4, t.getTask());
      assertTrue(Math.abs(t.getPredictedPassAt1() - actual) < 0.2,
          t.getTask() + ": predicted " + t.getPredictedPassAt1() + ", actual " + actual);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"linear", "mlp", "attention", "submodel"})
  void predictPrintsATableWithEveryFamily(String family) {
    Cli.Run run = Cli.run("predict", "--checkpoint", world.checkpoint(400).toString(), "--probe",
        world.bundle(family).toString()).expectSuccess();
    assertTrue(run.out().contains("probe      " + family + " probe at "), run.out());
    assertTrue(run.out().contains("task              prompts  predicted      95% interval  answer bpb"), run.out());
    for (String task : world.tasks().names()) {
      assertTrue(run.out().lines().anyMatch(l -> l.startsWith(task + " ") && l.contains(" 64 ")), run.out());
    }
    assertTrue(run.out().contains("latency    load"), run.out());
  }

  @Test
  void theControllersArgumentsParseWithTheRealParser() {
    WorkerCommand command = new WorkerCommand("pvc://ckpt/run/step-400", "s3://probes/v3", List.of("add", "rev"),
        WorkerCommand.TERMINATION_LOG, "s3://out/step-400.json", "cuda", 2, "float16", 16,
        new WorkerCommand.Validation(4, 512, 0.6), 400L);
    CommandLine cli = ForesightCli.commandLine();
    CommandLine.ParseResult parsed = cli.parseArgs(command.toArgs().toArray(String[]::new)).subcommand();
    assertEquals(WorkerCommand.SUBCOMMAND, parsed.commandSpec().name());
    EvaluateCommand evaluate = (EvaluateCommand) parsed.commandSpec().userObject();
    assertEquals("pvc://ckpt/run/step-400", evaluate.evaluation.checkpoint);
    assertEquals("s3://probes/v3", evaluate.evaluation.probe);
    assertEquals(List.of("add", "rev"), evaluate.evaluation.tasks);
    assertEquals(Path.of(WorkerCommand.TERMINATION_LOG), evaluate.reportFile);
    assertEquals("s3://out/step-400.json", evaluate.output);
    assertEquals("cuda", evaluate.runtime.devices.device);
    assertEquals("float16", evaluate.runtime.devices.dtype);
    assertEquals(2, evaluate.runtime.devices.gpus);
    assertEquals(Integer.valueOf(16), evaluate.runtime.batchSize);
    assertTrue(evaluate.evaluation.validate);
    assertEquals(4, evaluate.evaluation.samples);
    assertEquals(512, evaluate.evaluation.maxNewTokens);
    assertEquals(0.6, evaluate.evaluation.temperature);
    assertEquals(Long.valueOf(400), evaluate.evaluation.step);

    // Exactly the options WorkerCommand renders, and help.
    Set<String> declared = new TreeSet<>();
    parsed.commandSpec().options().forEach(o -> declared.addAll(List.of(o.names())));
    Set<String> expected = new TreeSet<>(List.of(WorkerCommand.CHECKPOINT, WorkerCommand.PROBE, WorkerCommand.TASKS,
        WorkerCommand.REPORT_FILE, WorkerCommand.OUTPUT, WorkerCommand.DEVICE, WorkerCommand.GPUS, WorkerCommand.DTYPE,
        WorkerCommand.BATCH_SIZE, WorkerCommand.VALIDATE, WorkerCommand.SAMPLES, WorkerCommand.MAX_NEW_TOKENS,
        WorkerCommand.TEMPERATURE, WorkerCommand.STEP, "-h", "--help", "-V", "--version"));
    assertEquals(expected, declared);
  }

  @Test
  void aMissingCheckpointIsExitCodeThreeWithTheMessageInTheReportFile() throws IOException {
    Path dir = world.scratch("missing-checkpoint");
    Path report = dir.resolve("termination-log");
    Cli.Run run = Cli.run(evaluate(dir.resolve("nothing-here"), world.bundle("linear"), report));
    assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND.code(), run.exitCode());
    assertEquals("checkpoint not found: " + dir.resolve("nothing-here"), Files.readString(report));
  }

  @Test
  void aCorruptedBundleIsAnInvalidSpec() throws IOException {
    Path dir = world.scratch("corrupt-bundle");
    Path bundle = copy(world.bundle("mlp"), dir.resolve("bundle"));
    byte[] weights = Files.readAllBytes(bundle.resolve("weights.safetensors"));
    Files.write(bundle.resolve("weights.safetensors"), java.util.Arrays.copyOf(weights, weights.length / 2));
    Path report = dir.resolve("termination-log");
    Cli.Run run = Cli.run(evaluate(world.checkpoint(400), bundle, report));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode());
    String message = Files.readString(report);
    assertTrue(message.startsWith("probe bundle " + bundle + ": corrupt weights: "), message);
    assertTrue(run.err().contains(message), run.err());
  }

  @Test
  void aBundleOfAnotherModelIsRefusedNamingEachMismatch() throws Exception {
    Path dir = world.scratch("wrong-model");
    // Another model of the same family: 3 layers of width 32, same tokenizer.
    Path other = dir.resolve("other-model");
    try (NDManager manager = NDManager.newBaseManager()) {
      ModelConfig config = ModelConfig.llama(CharacterTokenizer.vocabSize(SyntheticWorld.ALPHABET), 32, 64, 3, 4, 2, 128, 1, 2);
      try (CausalLm model = CausalLm.random(config, 1, manager.newSubManager())) {
        CheckpointWriter.write(model, other, WorldModelTrainer.tokenizerDir(world.dir()), SafetensorsDtype.F32);
      }
    }
    Path report = dir.resolve("termination-log");
    Cli.Run run = Cli.run(evaluate(other, world.bundle("linear"), report));
    assertEquals(WorkerExitCode.PROBE_INCOMPATIBLE.code(), run.exitCode());
    String mismatches = "probe bundle " + world.bundle("linear") + " does not fit: hidden size: probe expects 64,"
        + " checkpoint has 32; layer count: probe expects 2, checkpoint has 3";
    assertEquals(mismatches, Files.readString(report));

    // Refused before any weight is read: the same model without its output head would fail to load
    // (CheckpointNotFound), but the probe's verdict comes first.
    try (SafetensorsFile weights = SafetensorsFile.open(other.resolve("model.safetensors"));
        NDManager manager = NDManager.newBaseManager()) {
      SafetensorsWriter headless = new SafetensorsWriter();
      for (var t : weights.tensors()) {
        if (!t.name().equals("lm_head.weight")) {
          headless.add(t.name(), weights.load(t.name(), manager));
        }
      }
      headless.write(dir.resolve("headless.safetensors"));
    }
    Files.move(dir.resolve("headless.safetensors"), other.resolve("model.safetensors"), StandardCopyOption.REPLACE_EXISTING);
    run = Cli.run(evaluate(other, world.bundle("linear"), report));
    assertEquals(WorkerExitCode.PROBE_INCOMPATIBLE.code(), run.exitCode());
    assertEquals(mismatches, Files.readString(report));

    // The trained model with another tokenizer: same shapes, other vocabulary.
    Path retokenized = copy(world.checkpoint(400), dir.resolve("retokenized"));
    CharacterTokenizer.write(retokenized, new StringBuilder(SyntheticWorld.ALPHABET).reverse().toString());
    run = Cli.run(evaluate(retokenized, world.bundle("linear"), report));
    assertEquals(WorkerExitCode.PROBE_INCOMPATIBLE.code(), run.exitCode());
    assertTrue(Files.readString(report).contains("tokenizer: probe trained with sha256:"), Files.readString(report));
  }

  @Test
  void aTaskTheBundleLacksIsProbeIncompatible() throws IOException {
    Path report = world.scratch("unknown-task").resolve("termination-log");
    Cli.Run run = Cli.run(evaluate(world.checkpoint(400), world.bundle("linear"), report, WorkerCommand.TASKS, "add,gsm8k"));
    assertEquals(WorkerExitCode.PROBE_INCOMPATIBLE.code(), run.exitCode());
    assertEquals("probe bundle " + world.bundle("linear") + " does not fit: unknown task gsm8k (available: add, mul, rev)",
        Files.readString(report));
  }

  @Test
  void theReportFitsTheTerminationMessageWhateverTheNumberOfTasks() throws Exception {
    // 64 tasks of 3 prompts each, made from the world's prompts: a bundle with many tasks.
    Path dir = world.scratch("many-tasks");
    Path tasksDir = dir.resolve("tasks");
    List<TaskPrompt> all = new ArrayList<>();
    world.tasks().sets().forEach(s -> all.addAll(s.prompts()));
    for (int t = 0; t < 64; t++) {
      new TaskSet(String.format("task-with-a-long-name-%02d", t), all.subList(3 * t, 3 * t + 3)).write(tasksDir);
    }
    Path labels = dir.resolve("labels.jsonl");
    Path features = dir.resolve("features.safetensors");
    String ckpt = world.checkpoint(400).toString();
    Cli.run("label", "--checkpoint", ckpt, "--task-files", tasksDir.toString(), "--output", labels.toString(),
        "--samples", "2", "--max-new-tokens", "40").expectSuccess();
    Cli.run("extract", "--checkpoint", ckpt, "--task-files", tasksDir.toString(), "--output", features.toString())
        .expectSuccess();
    Path bundle = dir.resolve("bundle");
    Cli.run("train", "--family", "linear", "--features", features.toString(), "--labels", labels.toString(),
        "--task-files", tasksDir.toString(), "--output", bundle.toString(), "--held-out", "0.34", "--epochs", "20")
        .expectSuccess();

    Path report = dir.resolve("termination-log");
    Path output = dir.resolve("output.json");
    Cli.run(evaluate(world.checkpoint(400), bundle, report, WorkerCommand.OUTPUT, output.toString())).expectSuccess();
    String message = Files.readString(report);
    assertTrue(TerminationMessage.utf8Length(message) <= TerminationMessage.MAX_BYTES, message.length() + " bytes");
    EvaluationReport r = ReportCodec.decode(message);
    assertTrue(r.isTruncated());
    assertTrue(r.getResults().size() >= 20, "as many tasks as fit: " + r.getResults().size());
    assertEquals(64, JSON.readTree(output.toFile()).path("tasks").size(), "the output keeps every task");
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return to;
  }

  @Test
  void aBundleWhosePromptsExceedTheContextDoesNotFitAndRoomForGenerationIsASetting() throws Exception {
    Path dir = world.scratch("short-context");
    Path ckpt = copy(world.checkpoint(400), dir.resolve("checkpoint"));
    com.fasterxml.jackson.databind.node.ObjectNode config =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(ckpt.resolve(Checkpoint.CONFIG).toFile());
    config.put("max_position_embeddings", 12);
    JSON.writeValue(ckpt.resolve(Checkpoint.CONFIG).toFile(), config);
    Path report = dir.resolve("termination-log");
    Cli.Run run = Cli.run(evaluate(ckpt, world.bundle("linear"), report, WorkerCommand.TASKS, "add"));
    assertEquals(WorkerExitCode.PROBE_INCOMPATIBLE.code(), run.exitCode());
    String message = Files.readString(report);
    assertTrue(message.startsWith("probe bundle " + world.bundle("linear") + " does not fit: "), message);
    assertTrue(message.contains(" not fit the model's context of 12 tokens (max_position_embeddings in config.json):"
        + " task add, prompt '"), message);
    assertTrue(message.contains(" of gold answer)"), message);

    run = Cli.run(evaluate(world.checkpoint(400), world.bundle("linear"), report, WorkerCommand.TASKS, "add",
        WorkerCommand.VALIDATE, WorkerCommand.MAX_NEW_TOKENS, "200"));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode());
    message = Files.readString(report);
    assertTrue(message.contains(" not fit the model's context of 128 tokens"), message);
    assertTrue(message.contains(" of prompt + up to 200 new tokens)"), message);
  }

}
