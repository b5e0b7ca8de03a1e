package dev.foresight.api.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.report.InvalidReportException;
import dev.foresight.api.v1alpha1.BundleOutput;
import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.v1alpha1.FamilyMetrics;
import dev.foresight.api.v1alpha1.GeneratedLabels;
import dev.foresight.api.v1alpha1.LabelSource;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.api.v1alpha1.MonitorCheckpoints;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.v1alpha1.StepRange;
import dev.foresight.api.v1alpha1.TaskFiles;
import dev.foresight.api.v1alpha1.TrainingCheckpoints;
import dev.foresight.api.v1alpha1.ValidationLabels;
import dev.foresight.api.v1alpha1.WorkerRuntime;
import dev.foresight.api.worker.TrainingStageCommand;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingPlanTest {

  static ProbeTrainingSpec spec(int shards, int parallelism) {
    ProbeTrainingSpec spec = new ProbeTrainingSpec();
    spec.setRun("demo");
    TrainingCheckpoints c = new TrainingCheckpoints();
    c.setList(List.of(new LabelledCheckpoint("s3://ckpts/run/step-200", 200L),
        new LabelledCheckpoint("s3://ckpts/run/step-400", 400L)));
    spec.setCheckpoints(c);
    spec.setTasks(new TaskFiles("s3://ckpts/tasks/"));
    GeneratedLabels g = new GeneratedLabels();
    g.setShardsPerCheckpoint(shards);
    g.setParallelism(parallelism);
    spec.setLabels(LabelSource.generate(g));
    spec.setOutput(new BundleOutput("s3://probes/demo/"));
    return spec;
  }

  @Test
  void aPlanReadsBackAsWritten() {
    TrainingPlan plan = TrainingPlan.of("demo-probes", spec(2, 4), null);
    TrainingPlan back = TrainingPlan.fromJson(plan.toJson());
    assertEquals(plan.checkpoints(), back.checkpoints());
    assertEquals(plan.labels(), back.labels());
    assertEquals(plan.workDir(), back.workDir());
    assertTrue(plan.workDir().startsWith("s3://probes/demo.work/"), plan.workDir());
  }

  @Test
  void theWorkFolderFollowsWhatTheOutputsDependOnOnly() {
    String base = TrainingPlan.workDir(spec(2, 4), null);
    ProbeTrainingSpec otherRuntime = spec(2, 16);
    otherRuntime.setRuntime(new WorkerRuntime());
    otherRuntime.getOutput().setOverwrite(true);
    assertEquals(base, TrainingPlan.workDir(otherRuntime, null), "parallelism, runtime and overwrite change no output");
    assertNotEquals(base, TrainingPlan.workDir(spec(4, 4), null), "other shards are other files");
  }

  @Test
  void monitorValidationLabelsCarryTheMonitorsOutputPrefixIntoThePlanAndTheWorkFolder() {
    ProbeTrainingSpec spec = spec(1, 1);
    TrainingCheckpoints c = new TrainingCheckpoints();
    c.setMonitor(new MonitorCheckpoints("demo-monitor", new StepRange(0L, 1000L)));
    spec.setCheckpoints(c);
    spec.setLabels(LabelSource.monitorValidation(new ValidationLabels()));
    CheckpointPrefix prefix = new CheckpointPrefix("s3://ckpts/run/");
    TrainingPlan plan = TrainingPlan.fromJson(TrainingPlan.of("p", spec, prefix, "s3://outs/validation").toJson());
    assertEquals("s3://outs/validation", plan.validationOutput());
    assertNotEquals(plan.workDir(), TrainingPlan.of("p", spec, prefix, "s3://outs/other").workDir(),
        "other validation outputs are other labels");
    spec.getLabels().getMonitorValidation().setMinCoverage(0.5);
    assertNotEquals(plan.workDir(), TrainingPlan.of("p", spec, prefix, "s3://outs/validation").workDir(),
        "another coverage threshold may label other prompts");
    assertThrows(IllegalArgumentException.class, () -> TrainingPlan.of("p", spec, prefix, null));
    assertEquals(null, TrainingPlan.of("p", spec(1, 1), null, "s3://outs/validation").validationOutput(),
        "a training that does not read the monitor's validation keeps no prefix of it");
  }

  @Test
  void aPlanOfAnotherVersionIsRefusedNamingBoth() {
    String json = TrainingPlan.of("x", spec(1, 1), null).toJson().replace("\"v\":1", "\"v\":2");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingPlan.fromJson(json));
    assertTrue(e.getMessage().contains("version 2 is not 1"), e.getMessage());
  }

  @Test
  void completionIndicesMapToCheckpointAndShardBothWays() {
    LabelShardIndex i = LabelShardIndex.of(7, 3);
    assertEquals(2, i.checkpoint());
    assertEquals(1, i.shard());
    assertEquals(7, i.completionIndex());
    assertThrows(IllegalArgumentException.class, () -> LabelShardIndex.of(-1, 3));
  }

  @Test
  void indexedStagesTakeTheCompletionIndex() {
    assertEquals(List.of("training", "label", "--plan", TrainingPlan.FILE, "--index", "$(JOB_COMPLETION_INDEX)"),
        new TrainingStageCommand(TrainingStageCommand.Stage.LABEL, null, null, null, null).toArgs());
    assertEquals(List.of("training", "train", "--plan", "/p.json", "--device", "cuda"),
        new TrainingStageCommand(TrainingStageCommand.Stage.TRAIN, "/p.json", "cuda", null, null).toArgs());
  }

  @Test
  void trainingReportsReadBackAndRefuseWhatIsOutOfRange() throws Exception {
    TrainingReport r = new TrainingReport(1, List.of(new FamilyMetrics("linear", 0.91, 0.04, 0.05),
        new FamilyMetrics("mlp", 0.93, 0.03, 0.04)), "mlp", "s3://probes/demo", "sha256:ab", List.of(1600L));
    TrainingReport back = TrainingReports.decodeTraining(TrainingReports.encode(r), f -> { });
    assertEquals("mlp", back.chosen());
    assertEquals(0.93, back.families().get(1).getAuroc());
    String bad = TrainingReports.encode(new TrainingReport(1, List.of(new FamilyMetrics("linear", 1.5, null, null)),
        "mlp", "s3://p", "sha256:ab", List.of()));
    InvalidReportException e = assertThrows(InvalidReportException.class, () -> TrainingReports.decodeTraining(bad, f -> { }));
    assertTrue(e.getMessage().contains("families[0].auroc"), e.getMessage());
    assertTrue(e.getMessage().contains("chosen: mlp is not one of the families"), e.getMessage());
  }

  @Test
  void checkReportsReadBack() throws Exception {
    CheckReport r = new CheckReport(1, 8, 200, 1600, 384, List.of("add", "mul", "rev"), "LlamaForCausalLM",
        "sha256:tok", CheckReport.BUNDLE_ABSENT);
    assertEquals(r, TrainingReports.decodeCheck(TrainingReports.encode(r), f -> { }));
    String bad = TrainingReports.encode(new CheckReport(1, 0, 5, 4, 0, List.of(), "x", "y", "maybe"));
    InvalidReportException e = assertThrows(InvalidReportException.class, () -> TrainingReports.decodeCheck(bad, f -> { }));
    assertEquals(4, e.problems().size(), e.getMessage());
  }
}
