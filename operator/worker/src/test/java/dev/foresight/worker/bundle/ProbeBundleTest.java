package dev.foresight.worker.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.probe.FeatureStats;
import dev.foresight.worker.probe.HeadShape;
import dev.foresight.worker.probe.HeadWeights;
import dev.foresight.worker.probe.ProbeFamily;
import dev.foresight.worker.probe.ProbeHead;
import dev.foresight.worker.probe.ProbeHeads;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.scoring.CheckpointError;
import dev.foresight.worker.scoring.ProbeMetrics;
import dev.foresight.worker.tasks.CheckKind;
import dev.foresight.worker.tasks.TaskCatalog;
import dev.foresight.worker.tasks.TaskPrompt;
import dev.foresight.worker.tasks.TaskSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeBundleTest {
  private static final ModelSignature MODEL = new ModelSignature("LlamaForCausalLM", 8, 2, "sha256:tok");
  @TempDir Path dir;
  private NDManager manager;
  private TaskSet add;

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    add = new TaskSet("add", List.of(
        new TaskPrompt("a1", "1+2=", "#### 3", CheckKind.NUMBER, null, List.of("\n")),
        new TaskPrompt("a2", "2+2=", "#### 4", CheckKind.NUMBER, null, List.of("\n"))));
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  private ProbeManifest manifest(HeadShape head, List<Integer> layers, String hash) {
    return new ProbeManifest(ProbeManifest.FORMAT, head, layers, Pooling.LAST, MODEL,
        Map.of("add", new ProbeManifest.TaskEntry(hash, 2)),
        new ProbeManifest.Training(List.of(new ProbeManifest.Source("sha256:ck", "/ckpt/step-1")), 0.2, 7, 40, 31, 0.61),
        Map.of("add", new ProbeMetrics(2, 8, null, 0.1, 0.2, 0.05, 0.5, 0.5, 0)), null, null);
  }

  private Path writeMlpBundle() {
    HeadShape shape = HeadShape.mlp(16, 4);
    ProbeHead head = ProbeHeads.create(shape, HeadWeights.initialise(manager, 3), FeatureStats.identity(16));
    ProbeBundle.write(dir, manifest(shape, List.of(1, 2), add.promptSetHash()), head, TaskCatalog.of(List.of(add)));
    return dir;
  }

  @Test
  void roundTripKeepsManifestWeightsAndTasks() throws IOException {
    writeMlpBundle();
    ProbeBundle b = ProbeBundle.read(dir);
    assertEquals(manifest(HeadShape.mlp(16, 4), List.of(1, 2), add.promptSetHash()), b.manifest());
    assertEquals(add, b.tasks().get("add"));
    ProbeHead loaded = b.loadHead(manager);
    ProbeHead original = ProbeHeads.create(HeadShape.mlp(16, 4), HeadWeights.initialise(manager, 3), FeatureStats.identity(16));
    assertArrayEquals(original.weights().get("mlp.in.weight").toFloatArray(), loaded.weights().get("mlp.in.weight").toFloatArray());
    String json = Files.readString(dir.resolve("probe.json"));
    assertTrue(json.contains("\"family\" : \"mlp\""), json);
    assertTrue(!json.contains("auroc"), "undefined AUROC is left out: " + json);
    assertFalse(json.contains("checkpointError"), "a bundle without the measured error writes none: " + json);
    assertEquals(null, b.manifest().checkpointError());
  }

  @Test
  void roundTripKeepsTheProbesMeasuredError() throws IOException {
    HeadShape shape = HeadShape.mlp(16, 4);
    ProbeManifest plain = manifest(shape, List.of(1, 2), add.promptSetHash());
    CheckpointError error = new CheckpointError(0.018, 768, 0.031, 384, 0.12, 4);
    Map<String, ProbeMetrics> newest = Map.of("add", new ProbeMetrics(2, 8, 0.75, 0.1, 0.2, 0.05, 0.5, 0.5, 0));
    ProbeManifest measured = new ProbeManifest(plain.format(), plain.head(), plain.layers(), plain.pooling(),
        plain.model(), plain.tasks(), plain.training(), plain.heldOut(), error, newest);
    ProbeBundle.write(dir, measured, ProbeHeads.create(shape, HeadWeights.initialise(manager, 3),
        FeatureStats.identity(16)), TaskCatalog.of(List.of(add)));
    ProbeBundle b = ProbeBundle.read(dir);
    assertEquals(measured, b.manifest());
    assertEquals(error, b.manifest().checkpointError());
    assertEquals(0.75, b.manifest().meanNewestCheckpointAuroc().orElseThrow());
    String json = Files.readString(dir.resolve("probe.json"));
    assertTrue(json.contains("\"newestCheckpointBias\" : 0.031"), json);
    assertTrue(json.contains("\"bias\" : " + error.bias()), "the pooled bias is written for readers: " + json);
  }

  /** A write cut short after the new weights (here: a task file that cannot be written) must not pass for the old bundle. */
  @Test
  void aRewriteCutShortLeavesNoManifestOverNewWeights() throws IOException {
    writeMlpBundle();
    Files.delete(dir.resolve(ProbeBundle.TASKS).resolve("add.jsonl"));
    Files.createDirectories(dir.resolve(ProbeBundle.TASKS).resolve("add.jsonl"));
    HeadShape shape = HeadShape.mlp(16, 4);
    ProbeHead other = ProbeHeads.create(shape, HeadWeights.initialise(manager, 4), FeatureStats.identity(16));
    assertThrows(UncheckedIOException.class, () -> ProbeBundle.write(dir,
        manifest(shape, List.of(1, 2), add.promptSetHash()), other, TaskCatalog.of(List.of(add))));
    assertFalse(Files.exists(dir.resolve(ProbeBundle.MANIFEST)), "the folder is no bundle until the write completes");
  }

  @Test
  void missingOrMalformedManifestIsAClearError() throws IOException {
    BundleException none = assertThrows(BundleException.class, () -> ProbeBundle.read(dir));
    assertEquals("probe bundle " + dir + ": has no probe.json: not a probe bundle", none.getMessage());
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS, none.exitCode());
    writeMlpBundle();
    Files.writeString(dir.resolve("probe.json"), "{\"format\": 1, \"head\": ");
    BundleException bad = assertThrows(BundleException.class, () -> ProbeBundle.read(dir));
    assertTrue(bad.getMessage().startsWith("probe bundle " + dir + ": probe.json is malformed"), bad.getMessage());
  }

  @Test
  void manifestThatContradictsItselfIsRefused() throws IOException {
    writeMlpBundle();
    String json = Files.readString(dir.resolve("probe.json"));
    Files.writeString(dir.resolve("probe.json"), json.replace("\"format\" : 1", "\"format\" : 9"));
    assertTrue(assertThrows(BundleException.class, () -> ProbeBundle.read(dir)).getMessage()
        .endsWith("probe.json: format 9 is not supported by this worker (it reads format 1)"));
    Files.writeString(dir.resolve("probe.json"), json.replace("\"inputWidth\" : 16", "\"inputWidth\" : 24"));
    assertTrue(assertThrows(BundleException.class, () -> ProbeBundle.read(dir)).getMessage()
        .endsWith("head input width 24 is not hidden size 8 × 2 layers"));
  }

  @Test
  void corruptWeightsAreNamed() throws IOException {
    writeMlpBundle();
    try (FileChannel ch = FileChannel.open(dir.resolve("weights.safetensors"), StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 10);
    }
    BundleException e = assertThrows(BundleException.class, () -> ProbeBundle.read(dir));
    assertTrue(e.getMessage().startsWith("probe bundle " + dir + ": corrupt weights: "), e.getMessage());
  }

  @Test
  void weightsOfAnotherShapeAreNamed() {
    writeMlpBundle();
    // The manifest now claims 8 hidden units; the file holds 4.
    HeadShape bigger = HeadShape.mlp(16, 8);
    ProbeHead head = ProbeHeads.create(HeadShape.mlp(16, 4), HeadWeights.initialise(manager, 3), FeatureStats.identity(16));
    ProbeBundle.write(dir, manifest(bigger, List.of(1, 2), add.promptSetHash()), head, TaskCatalog.of(List.of(add)));
    BundleException e = assertThrows(BundleException.class, () -> ProbeBundle.read(dir).loadHead(manager));
    assertTrue(e.getMessage().endsWith("weights.safetensors does not fit the mlp head of probe.json: weight 'mlp.in.weight'"
        + " has shape (16, 4), expected (16, 8)"), e.getMessage());
  }

  @Test
  void editedOrMissingTaskFileIsRefused() throws IOException {
    writeMlpBundle();
    Path file = dir.resolve("tasks/add.jsonl");
    Files.writeString(file, Files.readString(file).replace("#### 4", "#### 5"));
    ProbeIncompatibleException e = assertThrows(ProbeIncompatibleException.class, () -> ProbeBundle.read(dir));
    assertEquals(WorkerExitCode.PROBE_INCOMPATIBLE, e.exitCode());
    assertTrue(e.getMessage().contains("prompt set of task 'add': tasks/add.jsonl hashes to sha256:"), e.getMessage());
    Files.delete(file);
    assertTrue(assertThrows(BundleException.class, () -> ProbeBundle.read(dir)).getMessage()
        .endsWith("task 'add' is listed in probe.json but tasks/add.jsonl is missing"));
  }

  @Test
  void checkpointOfAnotherModelIsRefusedNamingEachMismatch() {
    writeMlpBundle();
    ProbeBundle b = ProbeBundle.read(dir);
    b.checkFits(MODEL);
    ProbeIncompatibleException e = assertThrows(ProbeIncompatibleException.class,
        () -> b.checkFits(new ModelSignature("Olmo2ForCausalLM", 16, 4, "sha256:other")));
    assertEquals(WorkerExitCode.PROBE_INCOMPATIBLE, e.exitCode());
    assertEquals(List.of("architecture: probe trained on LlamaForCausalLM, checkpoint is Olmo2ForCausalLM",
        "hidden size: probe expects 8, checkpoint has 16", "layer count: probe expects 2, checkpoint has 4",
        "tokenizer: probe trained with sha256:tok, checkpoint has sha256:other"), e.mismatches());
  }

  /**
   * The best family is the one that ranked the prompts of a checkpoint it never saw best, even when
   * another fits the held-out prompts of its own checkpoints better; without that measurement on
   * both sides, the held-out AUROC decides.
   */
  @Test
  void theBestFamilyIsChosenOnTheUnseenCheckpoint() {
    ProbeManifest base = manifest(HeadShape.mlp(16, 4), List.of(1, 2), add.promptSetHash());
    ProbeManifest fitsItsOwn = with(base, 0.95, 0.80);
    ProbeManifest carriesOver = with(base, 0.90, 0.88);
    assertTrue(ProbeManifest.BY_UNSEEN_CHECKPOINT.compare(carriesOver, fitsItsOwn) > 0);
    ProbeManifest unmeasured = with(base, 0.90, null);
    assertTrue(ProbeManifest.BY_UNSEEN_CHECKPOINT.compare(fitsItsOwn, unmeasured) > 0, "held-out AUROC decides");
    assertTrue(ProbeManifest.BY_UNSEEN_CHECKPOINT.compare(unmeasured, with(base, 0.95, null)) < 0);
  }

  /**
   * A lead on the unseen checkpoint smaller than one standard error of the leader's AUROC does not
   * pay for a family with more freedom: the simplest family within it is published.
   */
  @Test
  void theSimplestFamilyWithinAStandardErrorOfTheBestIsChosen() {
    ProbeManifest linear = with(manifest(HeadShape.linear(16), List.of(1, 2), add.promptSetHash()), 0.90, 0.900);
    ProbeManifest mlp = with(manifest(HeadShape.mlp(16, 4), List.of(1, 2), add.promptSetHash()), 0.95, 0.905);
    // Hanley and McNeil at AUROC 0.905 over 512 samples, half of them passing: 256 positives, 256 negatives.
    double a = 0.905;
    double q1 = a / (2 - a);
    double q2 = 2 * a * a / (1 + a);
    double se = Math.sqrt((a * (1 - a) + 255 * (q1 - a * a) + 255 * (q2 - a * a)) / (256.0 * 256));
    assertEquals(se, mlp.newestCheckpointAurocError().getAsDouble(), 1e-12);
    assertTrue(se > 0.005 && se < 0.02, "one standard error: " + se);
    assertEquals(ProbeFamily.LINEAR, ProbeManifest.best(List.of(mlp, linear)).family(), "a 0.005 lead is noise");
    ProbeManifest clearlyBetter = with(manifest(HeadShape.mlp(16, 4), List.of(1, 2), add.promptSetHash()), 0.95, 0.95);
    assertEquals(ProbeFamily.MLP, ProbeManifest.best(List.of(linear, clearlyBetter)).family(), "a 0.05 lead is not");
    // Without the unseen measurement the ranking alone decides.
    ProbeManifest unmeasuredLinear = with(manifest(HeadShape.linear(16), List.of(1, 2), add.promptSetHash()), 0.90, null);
    ProbeManifest unmeasuredMlp = with(manifest(HeadShape.mlp(16, 4), List.of(1, 2), add.promptSetHash()), 0.91, null);
    assertEquals(ProbeFamily.MLP, ProbeManifest.best(List.of(unmeasuredLinear, unmeasuredMlp)).family());
  }

  private static ProbeManifest with(ProbeManifest m, double heldOutAuroc, Double newestAuroc) {
    return new ProbeManifest(m.format(), m.head(), m.layers(), m.pooling(), m.model(), m.tasks(), m.training(),
        Map.of("add", new ProbeMetrics(64, 256, heldOutAuroc, 0.1, 0.2, 0.05, 0.5, 0.5, 0)), null,
        newestAuroc == null ? null : Map.of("add", new ProbeMetrics(128, 512, newestAuroc, 0.1, 0.2, 0.05, 0.5, 0.5, 0)));
  }
}
