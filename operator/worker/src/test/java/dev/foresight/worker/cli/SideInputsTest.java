package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.bundle.ProbeManifest;
import dev.foresight.worker.features.FeatureFile;
import dev.foresight.worker.probe.AnswerInputs;
import dev.foresight.worker.probe.SideInputs;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.world.TestWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a one-vector probe reads beside the states, through the real CLI on the tests' world: the
 * labels' sampler replayed on the gold answers (extract --temperature) and the training step
 * (extract --step or trainer_state.json, evaluate --step).
 */
class SideInputsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TestWorld world = TestWorld.get();

  @Test
  void aLinearProbeReadsTheSamplersChanceAndTheStepAndItsIntervalKnowsTheSteps() {
    ProbeManifest m = ProbeBundle.read(world.bundle("linear", Pooling.ANSWER)).manifest();
    assertEquals(new SideInputs(AnswerInputs.WITH_SAMPLER, true), m.head().sideInputs());
    assertEquals(TestWorld.RECIPE.labelling().temperature(), m.samplerTemperature());
    List<Integer> labelled = TestWorld.LABELLED;
    assertEquals(Long.valueOf(labelled.get(labelled.size() - 1)), m.checkpointError().newestStep());
    assertEquals(Long.valueOf(labelled.get(labelled.size() - 2)), m.checkpointError().previousStep());
    assertNotNull(m.checkpointError().newestCheckpointMiss());
    // train says so, with what evaluate then needs.
    String said = world.trainingOutput("linear");
    assertTrue(said.contains("reads beside the states: the gold answer's likelihood; the chance that the labels'"
        + " sampler (temperature " + TestWorld.RECIPE.labelling().temperature() + ") writes it; the training step"), said);
    assertTrue(world.trainingOutput("attention").contains("reads beside the states: nothing"));
    // The families that read every position read neither.
    assertEquals(SideInputs.NONE, ProbeBundle.read(world.bundle("attention", Pooling.ANSWER)).manifest().head().sideInputs());
  }

  @Test
  void aCheckpointWithoutARecordedStepNeedsStepAndTheIntervalWidensAheadOfTheLabels() throws Exception {
    Path bundle = world.bundle("linear", Pooling.ANSWER);
    Path dir = world.scratch("side-inputs-step");
    Path bare = dir.resolve("step-400");
    Files.createDirectories(bare);
    try (var files = Files.list(world.checkpoint(400))) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("trainer_state.json")) {
          Files.copy(f, bare.resolve(f.getFileName()));
        }
      }
    }
    Cli.Run refused = Cli.run("evaluate", "--checkpoint", bare.toString(), "--probe", bundle.toString(),
        "--report-file", dir.resolve("refused.json").toString());
    assertEquals(WorkerExitCode.PROBE_INCOMPATIBLE.code(), refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("training step") && refused.err().contains("--step"), refused.err());

    // The same weights told their step predict what the recorded step gives; further ahead, a wider interval.
    JsonNode recorded = evaluate(world.checkpoint(400), bundle, dir.resolve("recorded.json"));
    JsonNode told = evaluate(bare, bundle, dir.resolve("told.json"), "--step", "400");
    JsonNode ahead = evaluate(bare, bundle, dir.resolve("ahead.json"), "--step", "3200");
    for (int t = 0; t < recorded.size(); t++) {
      JsonNode r = recorded.get(t).path("predicted");
      assertEquals(r.path("passAt1").asDouble(), told.get(t).path("predicted").path("passAt1").asDouble(), 1e-9);
      JsonNode a = ahead.get(t).path("predicted");
      assertTrue(a.path("probeError").asDouble() > r.path("probeError").asDouble(), a + " against " + r);
    }
  }

  @Test
  void featuresReplayingAnotherTemperatureThanTheLabelsAreRefused() throws Exception {
    Path dir = world.scratch("side-inputs-temperature");
    List<String> args = new ArrayList<>(List.of("train", "--family", "linear", "--task-files", world.tasksDir().toString(),
        "--output", dir.resolve("bundle").toString()));
    for (int step : TestWorld.LABELLED) {
      Path features = dir.resolve("step-" + step + ".safetensors");
      Cli.run("extract", "--checkpoint", world.checkpoint(step).toString(), "--task-files", world.tasksDir().toString(),
          "--layers", "1,2", "--pooling", "answer", "--temperature", "1.3", "--output", features.toString()).expectSuccess();
      FeatureFile f = FeatureFile.read(features);
      assertEquals(1.3, f.provenance().spec().samplerTemperature());
      assertEquals(Long.valueOf(step), f.provenance().step(), "from the checkpoint's trainer_state.json");
      args.addAll(List.of("--features", features.toString(), "--labels", world.labels(step).toString()));
    }
    Cli.Run run = Cli.run(args.toArray(String[]::new));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode(), run.err());
    assertTrue(run.err().contains("temperature 1.3") && run.err().contains("--temperature "
        + TestWorld.RECIPE.labelling().temperature()), run.err());
  }

  private static JsonNode evaluate(Path checkpoint, Path bundle, Path output, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("evaluate", "--checkpoint", checkpoint.toString(), "--probe",
        bundle.toString(), "--report-file", output.resolveSibling(output.getFileName() + ".report").toString(),
        "--output", output.toString()));
    args.addAll(List.of(more));
    Cli.run(args.toArray(String[]::new)).expectSuccess();
    return JSON.readTree(output.toFile()).path("tasks");
  }
}
