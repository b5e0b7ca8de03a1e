package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.features.FeatureFile;
import dev.foresight.worker.features.TaskFeatures;
import dev.foresight.worker.probe.ProbeDataset;
import dev.foresight.worker.probe.ProbeHead;
import dev.foresight.worker.probe.ProbeHeads;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.scoring.ProbeMetrics;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.world.TestWorld;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Answer-aware poolings through the real CLI on the tests' world: {@code extract} reads the states
 * over the gold answer, {@code train} records the pooling in probe.json, and {@code evaluate}
 * reproduces it on a checkpoint from the bundle alone.
 */
class AnswerPoolingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TestWorld world = TestWorld.get();

  @ParameterizedTest
  @CsvSource({"linear, answer", "attention, all-with-answer"})
  void theBundleRecordsItsPoolingAndEvaluateReproducesIt(String family, String recorded) throws Exception {
    Path bundle = world.bundle(family, Pooling.ANSWER);
    JsonNode manifest = JSON.readTree(bundle.resolve(ProbeBundle.MANIFEST).toFile());
    assertEquals(recorded, manifest.path("pooling").asText(), "probe.json: " + manifest);
    ProbeBundle read = ProbeBundle.read(bundle);
    assertEquals(Pooling.fromCliName(recorded), read.manifest().pooling());
    double auroc = read.manifest().heldOut().values().stream().filter(m -> m.auroc() != null)
        .mapToDouble(ProbeMetrics::auroc).average().orElseThrow();
    assertTrue(auroc > 0.6, family + " reading the gold answer: mean held-out AUROC " + auroc);

    // evaluate runs from the checkpoint and the bundle alone ...
    Path dir = world.scratch("answer-pooling-" + family);
    Path output = dir.resolve("out.json");
    Cli.run("evaluate", "--checkpoint", world.checkpoint(400).toString(), "--probe", bundle.toString(),
        "--report-file", dir.resolve("report.json").toString(), "--output", output.toString()).expectSuccess();
    JsonNode tasks = JSON.readTree(output.toFile()).path("tasks");

    // ... and gives what the head says on the features extract wrote with the same pooling.
    FeatureFile features = FeatureFile.read(world.features(400, family, Pooling.ANSWER));
    assertEquals(read.manifest().pooling(), features.provenance().spec().pooling());
    try (NDManager manager = NDManager.newBaseManager()) {
      ProbeHead head = read.loadHead(manager);
      for (JsonNode task : tasks) {
        TaskFeatures f = features.tasks().get(task.path("task").asText());
        double[] expected = ProbeHeads.predict(head, ProbeDataset.unlabelled(f, features.provenance().spec().everyPosition(),
            read.manifest().head().sideInputs(), features.provenance().step()), manager);
        JsonNode prompts = task.path("prompts");
        assertEquals(expected.length, prompts.size());
        for (int i = 0; i < expected.length; i++) {
          assertEquals(f.ids().get(i), prompts.get(i).path("id").asText());
          assertEquals(expected[i], prompts.get(i).path("predicted").asDouble(), 1e-5, f.task() + "/" + f.ids().get(i));
        }
      }
    }
  }

  @Test
  void answerFeaturesHoldOneVectorOrEveryPositionOfPromptAndAnswer() {
    TaskFeatures mean = FeatureFile.read(world.features(400, "linear", Pooling.ANSWER)).tasks().get("rev");
    assertEquals(1, mean.positions());
    assertEquals(2 * 64, mean.width(), "two layers, concatenated, as for the last token");
    TaskFeatures every = FeatureFile.read(world.features(400, "attention", Pooling.ANSWER)).tasks().get("rev");
    for (int i = 0; i < every.rows(); i++) {
      TaskPrompt p = world.tasks().get("rev").prompts().get(i);
      // BOS, the prompt's characters, then the gold answer's: one state each.
      assertEquals(1 + p.prompt().length() + p.answer().length(), every.lengths()[i], p.id());
    }
  }

  @Test
  void aFamilyIsRefusedFeaturesOfThePoolingItCannotRead() {
    Path every = world.features(400, "attention", Pooling.ANSWER);
    Cli.Run run = Cli.run("train", "--family", "linear", "--features", every.toString(), "--labels",
        world.labels(400).toString(), "--task-files", world.tasksDir().toString(), "--output",
        world.dir().resolve("scratch").resolve("refused").toString());
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode(), run.err());
    assertTrue(run.err().contains("a linear probe reads one vector per prompt: extract with --pooling last, mean or answer"),
        run.err());
    Cli.Run unknown = Cli.run(List.of("extract", "--checkpoint", world.checkpoint(400).toString(), "--task-files",
        world.tasksDir().toString(), "--pooling", "first", "--output", "unused.safetensors").toArray(String[]::new));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), unknown.exitCode());
    assertTrue(unknown.err().contains("--pooling must be one of last, mean, all, answer, all-with-answer, not 'first'"),
        unknown.err());
  }
}
