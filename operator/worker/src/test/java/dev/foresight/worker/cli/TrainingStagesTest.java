package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.training.CheckReport;
import dev.foresight.api.training.TrainingPlan;
import dev.foresight.api.training.TrainingReport;
import dev.foresight.api.training.TrainingReports;
import dev.foresight.api.v1alpha1.BundleOutput;
import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.v1alpha1.FamilyMetrics;
import dev.foresight.api.v1alpha1.GeneratedLabels;
import dev.foresight.api.v1alpha1.ImportedLabels;
import dev.foresight.api.v1alpha1.LabelSource;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.api.v1alpha1.MonitorCheckpoints;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.v1alpha1.Readiness;
import dev.foresight.api.v1alpha1.StepRange;
import dev.foresight.api.v1alpha1.TaskFiles;
import dev.foresight.api.v1alpha1.TrainingCheckpoints;
import dev.foresight.api.v1alpha1.TrainingSettings;
import dev.foresight.api.worker.LabelShardCommand;
import dev.foresight.api.worker.TrainingStageCommand;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.labels.LabelFile;
import dev.foresight.worker.storage.S3ProxyServer;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import dev.foresight.worker.world.TestWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ProbeTraining stages ({@code foresight training check|label|import|extract|train}) for real on
 * the test world's checkpoints, with two tasks of 8 prompts each: in order through s3proxy as the
 * stage pods run them (each a process), and their refusals in this JVM on local folders.
 */
class TrainingStagesTest {
  private static final TestWorld WORLD = TestWorld.get();
  private static final int PROMPTS = 8;
  private static Path tasks;

  @BeforeAll
  static void smallTasks() throws IOException {
    tasks = Files.createDirectories(WORLD.scratch("training-stages").resolve("tasks"));
    List<Path> files;
    try (Stream<Path> s = Files.list(WORLD.tasksDir())) {
      files = s.filter(f -> f.toString().endsWith(".jsonl")).sorted().limit(2).toList();
    }
    for (Path f : files) {
      Files.write(tasks.resolve(f.getFileName()), Files.readAllLines(f).subList(0, PROMPTS));
    }
  }

  private static ProbeTrainingSpec spec(List<LabelledCheckpoint> checkpoints, String taskUri, LabelSource labels,
      String output) {
    ProbeTrainingSpec spec = new ProbeTrainingSpec();
    spec.setRun("test");
    TrainingCheckpoints c = new TrainingCheckpoints();
    c.setList(checkpoints);
    spec.setCheckpoints(c);
    spec.setTasks(new TaskFiles(taskUri));
    spec.setLabels(labels);
    spec.setOutput(new BundleOutput(output));
    return spec;
  }

  private static LabelSource generated(int shards) {
    GeneratedLabels g = new GeneratedLabels();
    g.setSamples(2);
    g.setTemperature(0.8);
    g.setMaxNewTokens(24);
    g.setSeed(5L);
    g.setShardsPerCheckpoint(shards);
    return LabelSource.generate(g);
  }

  private static Path writePlan(Path dir, ProbeTrainingSpec spec) throws IOException {
    Path file = dir.resolve("plan.json");
    Files.writeString(file, TrainingPlan.of("test-probes", spec, null).toJson());
    return file;
  }

  /** {@code foresight training <stage> --plan PLAN [--index I] EXTRA…}. */
  static String[] stage(String stage, Path plan, Integer index, String... extra) {
    List<String> args = new ArrayList<>(List.of("training", stage, "--plan", plan.toString()));
    if (index != null) {
      args.addAll(List.of("--index", String.valueOf(index)));
    }
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  /** A local folder as a file:// URI, as a spec names it (no trailing slash). */
  static String uri(Path local) {
    String u = local.toUri().toString();
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  @Test
  void theStagesInOrderThroughS3PublishABundleAndARerunRedoesNothing() throws Exception {
    Path scratch = WORLD.scratch("training-stages-s3");
    try (S3ProxyServer s3 = new S3ProxyServer()) {
      s3.putFolder(WORLD.checkpoint(300), "ckpts", "run-1/step-300");
      s3.putFolder(WORLD.checkpoint(400), "ckpts", "run-1/step-400");
      s3.putFolder(tasks, "data", "tasks");
      s3.blobStore().createContainerInLocation(null, "probes");
      ProbeTrainingSpec spec = spec(List.of(new LabelledCheckpoint("s3://ckpts/run-1/step-300", 300L),
          new LabelledCheckpoint("s3://ckpts/run-1/step-400", 400L)), "s3://data/tasks", generated(2), "s3://probes/test");
      TrainingSettings probe = new TrainingSettings();
      probe.setHeldOutCheckpoints(1); // train on step 300, score on step 400
      probe.setEpochs(60);
      spec.setProbe(probe);
      Path plan = writePlan(scratch, spec);
      String work = TrainingPlan.of("test-probes", spec, null).workDir().substring("s3://probes/".length());

      Path checkReport = scratch.resolve("check.json");
      run(s3, scratch, stage("check", plan, null, "--report-file", checkReport.toString()));
      CheckReport check = TrainingReports.decodeCheck(Files.readString(checkReport), f -> { });
      assertEquals(List.of(2, 300L, 400L, 2L * PROMPTS, CheckReport.BUNDLE_ABSENT),
          List.of(check.checkpoints(), check.firstStep(), check.lastStep(), check.promptsPerCheckpoint(), check.bundle()));

      for (int index = 0; index < 4; index++) {
        run(s3, scratch, stage("label", plan, index));
      }
      assertTrue(s3.blobStore().blobExists("probes", work + "/labels/step-400/labels.jsonl.shard-1-of-2"));
      for (int index = 0; index < 2; index++) {
        run(s3, scratch, stage("extract", plan, index));
      }
      Path trainReport = scratch.resolve("train.json");
      String trained = run(s3, scratch, stage("train", plan, null, "--report-file", trainReport.toString()));
      TrainingReport report = TrainingReports.decodeTraining(Files.readString(trainReport), f -> { });
      assertEquals(List.of("linear", "mlp"), report.families().stream().map(FamilyMetrics::getFamily).toList(), trained);
      assertEquals(List.of(400L), report.heldOutSteps());
      assertEquals("s3://probes/test", report.uri());
      report.families().forEach(m -> assertNotNull(m.getCheckpointAbsError(), m.getFamily() + " scored on step 400"));

      // The published bundle reads as a bundle, and is the one reported.
      Path published = download(s3, "probes", "test/", scratch.resolve("published"));
      ProbeBundle bundle = ProbeBundle.read(published);
      assertEquals(report.fingerprint(), bundle.fingerprint());
      assertEquals(report.chosen(), bundle.manifest().family().wireName());

      // Two shards merged = one unsharded `foresight label` with the same seed, byte for byte.
      Path whole = scratch.resolve("whole.jsonl");
      run(s3, scratch, "label", "--checkpoint", "s3://ckpts/run-1/step-400", "--task-files", "s3://data/tasks",
          "--output", whole.toString(), "--samples", "2", "--temperature", "0.8", "--max-new-tokens", "24", "--seed", "5");
      byte[] merged = s3.blobStore().getBlob("probes", work + "/labels/step-400/labels.jsonl").getPayload().openStream()
          .readAllBytes();
      assertArrayEquals(Files.readAllBytes(whole), merged);

      // A rerun of every stage finds its outputs and redoes nothing.
      String label = run(s3, scratch, stage("label", plan, 3));
      assertTrue(label.contains("already labelled") && !label.contains("prompts labelled now"), label);
      String extract = run(s3, scratch, stage("extract", plan, 1));
      assertTrue(extract.contains("labels already merged") && extract.contains("linear features already extracted")
          && extract.contains("mlp features already extracted"), extract);
      String again = run(s3, scratch, stage("train", plan, null, "--report-file", trainReport.toString()));
      assertTrue(again.contains("linear: already trained on these checkpoints")
          && again.contains("mlp: already trained on these checkpoints")
          && again.contains("the output already holds this bundle"), again);
      assertEquals(report.fingerprint(), TrainingReports.decodeTraining(Files.readString(trainReport), f -> { }).fingerprint());
      run(s3, scratch, stage("check", plan, null, "--report-file", checkReport.toString()));
      assertEquals(CheckReport.BUNDLE_SAME, TrainingReports.decodeCheck(Files.readString(checkReport), f -> { }).bundle());
    }
  }

  private static String run(S3ProxyServer s3, Path scratch, String... args) throws Exception {
    ForesightProcess.Exit exit = ForesightProcess.run(s3.env(), scratch, args);
    assertEquals(0, exit.code(), Cli.describe(args) + "\n" + exit.output());
    return exit.output();
  }

  private static Path download(S3ProxyServer s3, String bucket, String prefix, Path dir) throws IOException {
    for (StorageMetadata m : s3.blobStore().list(bucket, ListContainerOptions.Builder.prefix(prefix).recursive())) {
      Path file = dir.resolve(m.getName().substring(prefix.length()));
      Files.createDirectories(file.getParent());
      Files.write(file, s3.blobStore().getBlob(bucket, m.getName()).getPayload().openStream().readAllBytes());
    }
    return dir;
  }

  @Test
  void aMonitorsCheckpointsAreListedOnceInTheStepRange() throws Exception {
    Path dir = WORLD.scratch("training-check-prefix");
    ProbeTrainingSpec spec = spec(null, uri(tasks), generated(1), uri(dir.resolve("bundle")));
    spec.getCheckpoints().setMonitor(new MonitorCheckpoints("trainer", new StepRange(250L, 400L)));
    CheckpointPrefix prefix = new CheckpointPrefix(uri(WORLD.checkpoint(300).getParent()));
    prefix.setReady(new Readiness(null, 0));
    TrainingPlan trainingPlan = TrainingPlan.of("test-probes", spec, prefix);
    Path plan = dir.resolve("plan.json");
    Files.writeString(plan, trainingPlan.toJson());
    Path report = dir.resolve("report");
    Cli.Run first = Cli.run(stage("check", plan, null, "--report-file", report.toString())).expectSuccess();
    assertTrue(first.out().contains("checkpoints: 2 ready under"), first.out());
    CheckReport check = TrainingReports.decodeCheck(Files.readString(report), f -> { });
    assertEquals(List.of(2, 300L, 400L), List.of(check.checkpoints(), check.firstStep(), check.lastStep()));
    Path listed = Path.of(java.net.URI.create(trainingPlan.workDir())).resolve("checkpoints.json");
    assertTrue(Files.readString(listed).contains(uri(WORLD.checkpoint(400))), Files.readString(listed));

    Cli.Run again = Cli.run(stage("check", plan, null, "--report-file", report.toString())).expectSuccess();
    assertTrue(again.out().contains("the list made by an earlier check"), again.out());
  }

  @Test
  void checkRefusesCheckpointsOfTwoModelsNamingBoth() throws IOException {
    Path dir = WORLD.scratch("training-check-models");
    Path wider = Files.createDirectories(dir.resolve("step-500"));
    String config = Files.readString(WORLD.checkpoint(400).resolve("config.json"));
    Files.writeString(wider.resolve("config.json"), config.replaceFirst("\"hidden_size\"\\s*:\\s*(\\d+)",
        "\"hidden_size\": 4$1"));
    Files.copy(WORLD.checkpoint(400).resolve("tokenizer.json"), wider.resolve("tokenizer.json"));
    Path plan = writePlan(dir, spec(List.of(new LabelledCheckpoint(uri(WORLD.checkpoint(400)), 400L),
        new LabelledCheckpoint(uri(wider), 500L)), uri(tasks), generated(1), uri(dir.resolve("bundle"))));
    Path report = dir.resolve("report");
    Cli.Run run = Cli.run(stage("check", plan, null, "--report-file", report.toString()));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode(), run.out() + run.err());
    String message = Files.readString(report);
    assertTrue(message.contains("not all of one model") && message.contains(uri(WORLD.checkpoint(400)) + " (step 400)")
        && message.contains(uri(wider) + " (step 500)") && message.contains("hidden size 4"), message);
  }

  @Test
  void checkRefusesAnotherBundleAtTheOutputUnlessOverwrite() throws Exception {
    Path dir = WORLD.scratch("training-check-output");
    Path output = Files.createDirectories(dir.resolve("bundle"));
    Files.writeString(output.resolve(ProbeBundle.MANIFEST), "{\"format\": 1}\n");
    ProbeTrainingSpec spec = spec(List.of(new LabelledCheckpoint(uri(WORLD.checkpoint(300)), 300L),
        new LabelledCheckpoint(uri(WORLD.checkpoint(400)), 400L)), uri(tasks), generated(1), uri(output));
    Path report = dir.resolve("report");
    Cli.Run refused = Cli.run(stage("check", writePlan(dir, spec), null, "--report-file", report.toString()));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), refused.exitCode(), refused.out() + refused.err());
    assertTrue(Files.readString(report).contains("spec.output.uri " + uri(output) + " holds another bundle")
        && Files.readString(report).contains("set spec.output.overwrite: true to replace it"), Files.readString(report));

    spec.getOutput().setOverwrite(true);
    Cli.run(stage("check", writePlan(dir, spec), null, "--report-file", report.toString())).expectSuccess();
    CheckReport check = TrainingReports.decodeCheck(Files.readString(report), f -> { });
    assertEquals(CheckReport.BUNDLE_REPLACE, check.bundle());
    assertEquals(List.of(2, 2L * PROMPTS), List.of(check.checkpoints(), check.promptsPerCheckpoint()));
  }

  @Test
  void checkRefusesProbeSettingsALaterStageCouldNotUse() throws IOException {
    Path dir = WORLD.scratch("training-check-settings");
    ProbeTrainingSpec spec = spec(List.of(new LabelledCheckpoint(uri(WORLD.checkpoint(300)), 300L),
        new LabelledCheckpoint(uri(WORLD.checkpoint(400)), 400L)), uri(tasks), generated(1), uri(dir.resolve("bundle")));
    TrainingSettings probe = new TrainingSettings();
    probe.setPooling("all");
    spec.setProbe(probe);
    assertRefused(dir, spec, "spec.probe.pooling: all keeps every position");
    probe.setPooling(null);
    probe.setLayers(List.of(5));
    assertRefused(dir, spec, "spec.probe.layers 5 is outside the model's hidden states 0..2");
    probe.setLayers(null);
    probe.setHeldOutCheckpoints(2);
    assertRefused(dir, spec, "spec.probe.heldOutCheckpoints 2 leaves none of the 2 labelled checkpoints to train on");
  }

  private static void assertRefused(Path dir, ProbeTrainingSpec spec, String why) throws IOException {
    Cli.Run run = Cli.run(stage("check", writePlan(dir, spec), null));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode(), run.out() + run.err());
    assertTrue(run.err().contains(why), run.err());
  }

  @Test
  void aLabelShardOfAMissingCheckpointExits3NamingItAndTheShard() throws IOException {
    Path dir = WORLD.scratch("training-label-missing");
    String missing = uri(dir.resolve("step-500"));
    Path plan = writePlan(dir, spec(List.of(new LabelledCheckpoint(uri(WORLD.checkpoint(400)), 400L),
        new LabelledCheckpoint(missing, 500L)), uri(tasks), generated(2), uri(dir.resolve("bundle"))));
    Path report = dir.resolve("report");
    Cli.Run run = Cli.run(stage("label", plan, 3, "--report-file", report.toString()));
    assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND.code(), run.exitCode(), run.out() + run.err());
    String message = Files.readString(report);
    assertTrue(message.contains("checkpoint " + missing + " (step 500, label shard 1 of 2)"), message);
  }

  @Test
  void importReadsEachCheckpointsSampleLogsOnceAndSkipsWhatIsImported() throws IOException {
    Path dir = WORLD.scratch("training-import");
    Path logs = dir.resolve("lm-eval");
    TaskCatalog catalog = TaskCatalog.read(List.of(tasks));
    for (long step : new long[] {300, 400}) {
      for (TaskSet set : catalog.sets()) {
        LmEvalLogs log = new LmEvalLogs();
        int doc = 0;
        for (TaskPrompt p : set.prompts()) {
          boolean right = (doc + step / 100) % 3 != 0;
          log.doc(doc++, p.prompt(), List.of(right ? p.answer() : "x", p.answer()), "exact_match", right ? 1.0 : 0.5);
        }
        log.write(logs.resolve(String.valueOf(step)), set.name());
      }
    }
    ImportedLabels imported = new ImportedLabels();
    imported.setUri(uri(logs));
    ProbeTrainingSpec spec = spec(List.of(new LabelledCheckpoint(uri(WORLD.checkpoint(300)), 300L),
        new LabelledCheckpoint(uri(WORLD.checkpoint(400)), 400L)), uri(tasks), LabelSource.lmEval(imported),
        uri(dir.resolve("bundle")));
    Path plan = writePlan(dir, spec);
    Cli.Run first = Cli.run(stage("import", plan, 1)).expectSuccess();
    assertTrue(first.out().contains("step 400: labels imported"), first.out());
    Path labels = Path.of(java.net.URI.create(TrainingPlan.of("test-probes", spec, null).workDir()))
        .resolve("labels/step-400/labels.jsonl");
    assertEquals(2 * PROMPTS, LabelFile.read(labels).count());
    assertEquals(uri(WORLD.checkpoint(400)), LabelFile.read(labels).header().location());
    long written = Files.getLastModifiedTime(labels).toMillis();
    Cli.Run again = Cli.run(stage("import", plan, 1)).expectSuccess();
    assertTrue(again.out().contains("step 400: already imported"), again.out());
    assertEquals(written, Files.getLastModifiedTime(labels).toMillis());
    Cli.Run label = Cli.run(stage("label", plan, 0));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), label.exitCode(), label.out() + label.err());
    assertTrue(label.err().contains("run the import stage, not label"), label.err());
  }

  @Test
  void parsesExactlyWhatTheApiRenders() {
    for (TrainingStageCommand.Stage s : TrainingStageCommand.Stage.values()) {
      List<String> args = new ArrayList<>(new TrainingStageCommand(s, null, "cuda", "float16", 16).toArgs());
      // Kubernetes expands $(JOB_COMPLETION_INDEX) before the worker starts.
      args.replaceAll(a -> a.equals(LabelShardCommand.JOB_INDEX) ? "7" : a);
      var parsed = ForesightCli.commandLine().parseArgs(args.toArray(String[]::new));
      Object stage = parsed.subcommand().subcommand().commandSpec().userObject();
      TrainingCommand.Stage command = (TrainingCommand.Stage) stage;
      assertEquals(Path.of(TrainingPlan.FILE), command.plan);
      assertEquals(16, command.runtime.batchSize());
      assertEquals(List.of("cuda", "float16"), List.of(command.runtime.devices.device, command.runtime.devices.dtype));
      assertEquals(s.indexed(), stage instanceof TrainingCommand.IndexedStage, s.cliName());
      if (stage instanceof TrainingCommand.IndexedStage indexed) {
        assertEquals(7, indexed.index);
      }
      assertFalse(command.getClass().getSimpleName().isEmpty());
    }
  }
}
