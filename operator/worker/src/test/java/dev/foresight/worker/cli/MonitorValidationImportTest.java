package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.foresight.worker.cli.TrainingStagesTest.stage;
import static dev.foresight.worker.cli.TrainingStagesTest.uri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.foresight.api.training.CheckReport;
import dev.foresight.api.training.TrainingPlan;
import dev.foresight.api.training.TrainingReport;
import dev.foresight.api.training.TrainingReports;
import dev.foresight.api.v1alpha1.BundleOutput;
import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.v1alpha1.FamilyMetrics;
import dev.foresight.api.v1alpha1.LabelSource;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.api.v1alpha1.MonitorCheckpoints;
import dev.foresight.api.v1alpha1.PeriodicValidation;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.v1alpha1.Readiness;
import dev.foresight.api.v1alpha1.StepRange;
import dev.foresight.api.v1alpha1.TaskFiles;
import dev.foresight.api.v1alpha1.TrainingCheckpoints;
import dev.foresight.api.v1alpha1.TrainingSettings;
import dev.foresight.api.v1alpha1.ValidationLabels;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.labels.LabelFile;
import dev.foresight.worker.labels.LabelSettings;
import dev.foresight.worker.labels.Labels;
import dev.foresight.worker.labels.PromptLabel;
import dev.foresight.worker.world.TestWorld;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A ProbeTraining's labels from a ProbeMonitor's validation runs: the outputs are written by the real
 * {@code foresight evaluate --validate --output} on the test world's checkpoints 300 and 400 (as the
 * monitor's validated evaluations write them), then the check and import stages read them.
 */
class MonitorValidationImportTest {
  private static final TestWorld WORLD = TestWorld.get();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TASKS = List.of("rev", "mul");
  private static final int SAMPLES = 2;
  private static final int MAX_NEW_TOKENS = 24;
  /** Where the monitor keeps its validation outputs (spec.validation.output). */
  private static Path validation;

  @BeforeAll
  static void validatedEvaluationsOf300And400() throws IOException {
    validation = WORLD.scratch("monitor-validation").resolve("outputs");
    for (int step : List.of(300, 400)) {
      Cli.run(WorkerCommand.SUBCOMMAND, WorkerCommand.CHECKPOINT, WORLD.checkpoint(step).toString(),
          WorkerCommand.PROBE, WORLD.bundle("linear").toString(), WorkerCommand.TASKS, String.join(",", TASKS),
          WorkerCommand.VALIDATE, WorkerCommand.SAMPLES, String.valueOf(SAMPLES),
          WorkerCommand.MAX_NEW_TOKENS, String.valueOf(MAX_NEW_TOKENS),
          WorkerCommand.OUTPUT, PeriodicValidation.outputOf(uri(validation), step)).expectSuccess();
    }
  }

  private static ProbeTrainingSpec spec(TrainingCheckpoints checkpoints, Double minCoverage, Path dir) {
    ProbeTrainingSpec spec = new ProbeTrainingSpec();
    spec.setRun("test");
    spec.setCheckpoints(checkpoints);
    TaskFiles tasks = new TaskFiles(uri(WORLD.tasksDir()));
    tasks.setNames(TASKS);
    spec.setTasks(tasks);
    spec.setLabels(LabelSource.monitorValidation(new ValidationLabels(minCoverage)));
    spec.setOutput(new BundleOutput(uri(dir.resolve("bundle"))));
    TrainingSettings probe = new TrainingSettings();
    probe.setFamilies(List.of("linear"));
    probe.setEpochs(20);
    spec.setProbe(probe);
    return spec;
  }

  /** The monitor's checkpoints in {@code from..to}: the world's checkpoints folder, ready at once. */
  private static TrainingPlan monitorPlan(long from, long to, Path dir) {
    TrainingCheckpoints c = new TrainingCheckpoints();
    c.setMonitor(new MonitorCheckpoints("trainer", new StepRange(from, to)));
    CheckpointPrefix prefix = new CheckpointPrefix(uri(WORLD.checkpoint(300).getParent()));
    prefix.setReady(new Readiness(null, 0));
    return TrainingPlan.of("test-probes", spec(c, null, dir), prefix, uri(validation));
  }

  /** The checkpoints listed as the check would have recorded them; the monitor's outputs under {@code outputs}. */
  private static TrainingPlan listPlan(Path outputs, Double minCoverage, Path dir, int... steps) {
    TrainingCheckpoints c = new TrainingCheckpoints();
    List<LabelledCheckpoint> list = new ArrayList<>();
    for (int step : steps) {
      list.add(new LabelledCheckpoint(uri(WORLD.checkpoint(step)), (long) step));
    }
    c.setList(list);
    return TrainingPlan.of("test-probes", spec(c, minCoverage, dir), null, uri(outputs));
  }

  private static Path write(Path dir, TrainingPlan plan) throws IOException {
    Path file = dir.resolve("plan.json");
    Files.writeString(file, plan.toJson());
    return file;
  }

  private static Path labelFile(TrainingPlan plan, long step) {
    return Path.of(URI.create(plan.workDir())).resolve("labels/step-" + step + "/labels.jsonl");
  }

  @Test
  void theCheckKeepsTheValidatedStepsAndTheImportTakesEachPromptsOutcome() throws Exception {
    Path dir = WORLD.scratch("monitor-validation-stages");
    TrainingPlan trainingPlan = monitorPlan(100, 400, dir);
    Path plan = write(dir, trainingPlan);
    Path report = dir.resolve("report");
    Cli.Run check = Cli.run(stage("check", plan, null, "--report-file", report.toString())).expectSuccess();
    assertTrue(check.out().contains("checkpoints: 2 of the 4 ready ones have a validation output under "
        + uri(validation)), check.out());
    CheckReport checked = TrainingReports.decodeCheck(Files.readString(report), f -> { });
    assertEquals(List.of(2, 300L, 400L), List.of(checked.checkpoints(), checked.firstStep(), checked.lastStep()));

    for (int index = 0; index < 2; index++) {
      long step = 300 + 100L * index;
      Cli.Run imported = Cli.run(stage("import", plan, index)).expectSuccess();
      assertTrue(imported.out().contains("step " + step + ": labels imported"), imported.out());
      Labels labels = LabelFile.read(labelFile(trainingPlan, step));
      assertEquals(new LabelSettings(SAMPLES, 0.6, 1.0, MAX_NEW_TOKENS, EvaluationOptions.VALIDATION_SEED),
          labels.header().settings(), "the settings the evaluation recorded");
      assertEquals(uri(WORLD.checkpoint((int) step)), labels.header().location());
      JsonNode output = JSON.readTree(Path.of(URI.create(PeriodicValidation.outputOf(uri(validation), step))).toFile());
      int prompts = 0;
      for (JsonNode task : output.path("tasks")) {
        for (JsonNode p : task.path("prompts")) {
          PromptLabel label = labels.find(task.path("task").asText(), p.path("id").asText()).orElseThrow();
          assertEquals(List.of(p.path("passed").asInt(), p.path("samples").asInt()), List.of(label.passed(), label.samples()),
              task.path("task").asText() + "/" + p.path("id").asText());
          prompts++;
        }
      }
      assertEquals(TASKS.size() * TestWorld.PROMPTS_PER_TASK, prompts);
      assertEquals(prompts, labels.count());
    }
    Cli.Run again = Cli.run(stage("import", plan, 1)).expectSuccess();
    assertTrue(again.out().contains("step 400: already imported"), again.out());

    // The imported labels go through the later stages as any others.
    for (int index = 0; index < 2; index++) {
      Cli.run(stage("extract", plan, index)).expectSuccess();
    }
    Path trainReport = dir.resolve("train.json");
    Cli.run(stage("train", plan, null, "--report-file", trainReport.toString())).expectSuccess();
    TrainingReport trained = TrainingReports.decodeTraining(Files.readString(trainReport), f -> { });
    assertEquals(List.of("linear"), trained.families().stream().map(FamilyMetrics::getFamily).toList());
    assertEquals(trained.fingerprint(), ProbeBundle.read(dir.resolve("bundle")).fingerprint());
  }

  @Test
  void fewerThanTwoValidatedStepsAreRefusedByTheCheck() throws IOException {
    Path dir = WORLD.scratch("monitor-validation-few");
    Path report = dir.resolve("report");
    Cli.Run run = Cli.run(stage("check", write(dir, monitorPlan(100, 300, dir)), null, "--report-file", report.toString()));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode(), run.out() + run.err());
    String message = Files.readString(report);
    assertTrue(message.contains("only 1 of the 3 ready checkpoints in the step range (steps 100..300) have a validation"
        + " output under " + uri(validation)) && message.contains("needs at least 2"), message);
  }

  @Test
  void aTaskCoveredBelowMinCoverageFailsWithCountsAndTheFirstMissingIds() throws IOException {
    Path dir = WORLD.scratch("monitor-validation-coverage");
    Path outputs = Files.createDirectories(dir.resolve("outputs"));
    // The step's output keeps the outcomes of mul's first 3 prompts only.
    ObjectNode output = (ObjectNode) JSON.readTree(Path.of(URI.create(PeriodicValidation.outputOf(uri(validation), 400)))
        .toFile());
    List<String> missing = new ArrayList<>();
    for (JsonNode task : output.path("tasks")) {
      if (task.path("task").asText().equals("mul")) {
        ArrayNode prompts = (ArrayNode) task.path("prompts");
        while (prompts.size() > 3) {
          missing.add(0, prompts.remove(prompts.size() - 1).path("id").asText());
        }
      }
    }
    JSON.writeValue(outputs.resolve("step-400.json").toFile(), output);
    Path report = dir.resolve("report");
    TrainingPlan trainingPlan = listPlan(outputs, null, dir, 400);
    Cli.Run run = Cli.run(stage("import", write(dir, trainingPlan), 0, "--report-file", report.toString()));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode(), run.out() + run.err());
    String message = Files.readString(report);
    int prompts = TestWorld.PROMPTS_PER_TASK;
    assertTrue(message.contains("holds outcomes for too few prompts (minCoverage 0.90)")
        && message.contains(String.format(java.util.Locale.ROOT, "task mul: 3 of %d prompts matched (%.1f%%)", prompts,
            300.0 / prompts))
        && message.contains("unlabelled: '" + String.join("', '", missing.subList(0, 5)) + "'"), message);
    assertTrue(!message.contains("task rev:"), "rev is covered: " + message);
    assertTrue(!Files.exists(labelFile(trainingPlan, 400)), "nothing is written");

    // A lower threshold takes what is there.
    TrainingPlan lenient = listPlan(outputs, 0.04, dir, 400);
    Cli.run(stage("import", write(dir, lenient), 0)).expectSuccess();
    assertEquals(prompts + 3, LabelFile.read(labelFile(lenient, 400)).count());
  }

  @Test
  void aStepWithoutAValidationOutputExits3NamingTheStepAndTheExpectedUri() throws IOException {
    Path dir = WORLD.scratch("monitor-validation-missing");
    Path report = dir.resolve("report");
    Cli.Run run = Cli.run(stage("import", write(dir, listPlan(validation, null, dir, 300, 200)), 1,
        "--report-file", report.toString()));
    assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND.code(), run.exitCode(), run.out() + run.err());
    String message = Files.readString(report);
    assertTrue(message.contains("no validation output of step 200 at " + PeriodicValidation.outputOf(uri(validation), 200))
        && message.contains("was this step validated? The monitor validates every k-th evaluation"), message);
  }
}
