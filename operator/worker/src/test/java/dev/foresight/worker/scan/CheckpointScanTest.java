package dev.foresight.worker.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.scan.ScanReport;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.storage.FolderListing;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import dev.foresight.worker.storage.StoredFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan's decisions on a local folder, with a fixed clock so that settle times are exact. */
class CheckpointScanTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private static final Instant LONG_AGO = NOW.minus(Duration.ofHours(1));
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path tmp;

  /** Passes everything through, noting which files were read. */
  private static final class RecordingListing implements FolderListing {
    final FolderListing inner;
    final List<String> reads = new CopyOnWriteArrayList<>();

    RecordingListing(FolderListing inner) { this.inner = inner; }

    @Override public String location() { return inner.location(); }
    @Override public void forEachFolder(Consumer<String> folder) { inner.forEachFolder(folder); }
    @Override public List<StoredFile> files(String folder) { return inner.files(folder); }

    @Override
    public byte[] read(String folder, String file, int maxBytes) throws IOException {
      reads.add(folder + "/" + file);
      return inner.read(folder, file, maxBytes);
    }
  }

  private RecordingListing listing(Path root) {
    return new RecordingListing(new Storage(tmp.resolve("pvc"), tmp.resolve("cache"), Map.of())
        .listing("file://" + root, Purpose.CHECKPOINT_PREFIX));
  }

  private static CheckpointScan.Result scan(FolderListing listing, String marker, StepWindow window) throws InterruptedException {
    return new CheckpointScan(listing, StepPattern.of(null), ReadinessRule.of(marker, null, CLOCK), window, 4).run();
  }

  @Test
  void completeFoldersAreReadyOnceSettledAndTheOthersSayWhy() throws Exception {
    Path root = tmp.resolve("run");
    new CheckpointLayout(root)
        .single("step-100", LONG_AGO)
        .sharded("step-200", 3, Set.of(2), LONG_AGO)
        .sharded("step-300", 3, Set.of(), LONG_AGO)
        .sharded("step-400", 2, Set.of(), LONG_AGO).file("step-400", "trainer_state.json", "{}", NOW.minusSeconds(40))
        .single("step-500", NOW.plusSeconds(30))
        .file("step-600", "config.json", "{}", LONG_AGO).file("step-600", "model.safetensors.index.json", "{not json", LONG_AGO)
        .file("step-700", "model.safetensors", "w", LONG_AGO)
        .file("step-800", "config.json", "{}", LONG_AGO)
        .sharded("step-900", 4, Set.of(1, 3), LONG_AGO)
        .file("step-1000", "config.json", "{}", LONG_AGO).file("step-1000", "model.safetensors.index.json", "{\"weight_map\":{}}", LONG_AGO);
    RecordingListing listing = listing(root);

    CheckpointScan.Result result = scan(listing, null, StepWindow.ALL);
    ScanReport r = result.report();

    assertEquals(List.of("300 step-300", "100 step-100"), ScanReports.ready(r));
    assertEquals(2, r.getReadyTotal());
    assertEquals(300L, r.getNewest());
    assertFalse(r.hasMore());
    assertEquals(List.of(
        "step-1000 1000: index unreadable: its weight_map names no shard",
        "step-900 900: 2 of 4 shards missing, first model-00001-of-00004.safetensors",
        "step-800 800: no model.safetensors or model.safetensors.index.json yet",
        "step-700 700: config.json missing",
        "step-600 600: index unreadable: not well-formed JSON: Unexpected character ('n' (code 110)): was expecting double-quote to start field name",
        "step-500 500: written 30 s ahead of this clock, settles after 120 s",
        "step-400 400: written 40 s ago, settles after 120 s",
        "step-200 200: shard model-00002-of-00003.safetensors missing"), ScanReports.notReady(r));
    assertEquals(10, result.folders());

    // Only indexes were read: readiness never opens weights.
    assertTrue(listing.reads.stream().allMatch(f -> f.endsWith("/model.safetensors.index.json")), listing.reads.toString());
  }

  @Test
  void anOversizedIndexIsNotReadAtAll() throws Exception {
    Path root = tmp.resolve("run");
    new CheckpointLayout(root).sharded("step-1", 1, Set.of(), LONG_AGO);
    Path index = root.resolve("step-1").resolve("model.safetensors.index.json");
    try (RandomAccessFile f = new RandomAccessFile(index.toFile(), "rw")) {
      f.setLength(CompleteRule.MAX_INDEX_BYTES + 1L); // sparse: no disk, and no reason to read it
    }
    Files.setLastModifiedTime(index, FileTime.from(LONG_AGO));
    RecordingListing listing = listing(root);
    ScanReport r = scan(listing, null, StepWindow.ALL).report();
    assertEquals(List.of("step-1 1: index unreadable: 16777217 bytes, more than an index holds (16777216)"),
        ScanReports.notReady(r));
    assertTrue(listing.reads.isEmpty(), listing.reads.toString());
  }

  @Test
  void settleTimeCountsFromTheNewestFileAndZeroDoesNotWait() throws Exception {
    Path root = tmp.resolve("run");
    new CheckpointLayout(root).single("step-1", NOW.minusSeconds(120)).single("step-2", NOW.minusSeconds(119));
    RecordingListing listing = listing(root);
    ScanReport settled = scan(listing, null, StepWindow.ALL).report();
    assertEquals(List.of("1 step-1"), ScanReports.ready(settled));
    assertEquals(List.of("step-2 2: written 119 s ago, settles after 120 s"), ScanReports.notReady(settled));

    ScanReport noWait = new CheckpointScan(listing, StepPattern.of(null), ReadinessRule.of(null, 0, CLOCK), StepWindow.ALL, 1)
        .run().report();
    assertEquals(List.of("2 step-2", "1 step-1"), ScanReports.ready(noWait));
  }

  @Test
  void aMarkerDecidesAloneAndItsFingerprintChangesWhenRewritten() throws Exception {
    Path root = tmp.resolve("run");
    CheckpointLayout layout = new CheckpointLayout(root)
        .marker("step-10", ".ready", LONG_AGO) // nothing else: the marker is the trainer's word
        .single("step-20", LONG_AGO)
        .marker("step-30", ".ready", NOW);      // written this instant: no settle time with a marker
    RecordingListing listing = listing(root);
    ScanReport first = scan(listing, ".ready", StepWindow.ALL).report();
    assertEquals(List.of("30 step-30", "10 step-10"), ScanReports.ready(first));
    assertEquals(List.of("step-20 20: no .ready marker yet"), ScanReports.notReady(first));
    assertTrue(first.getReady().get(1).getFingerprint().matches("[0-9a-f]{16}"));
    layout.marker("step-40", ".ready", NOW); // the same file as step-30's: still a fingerprint of its own
    ScanReport withTwin = scan(listing, ".ready", StepWindow.ALL).report();
    assertNotEquals(withTwin.getReady().get(0).getFingerprint(), withTwin.getReady().get(1).getFingerprint());
    assertTrue(listing.reads.isEmpty(), "a marker scan reads no file: " + listing.reads);

    layout.marker("step-10", ".ready", LONG_AGO.plusSeconds(5));
    ScanReport second = scan(listing, ".ready", StepWindow.ALL).report();
    assertEquals(List.of(40L, 30L, 10L), ScanReports.steps(second));
    assertNotEquals(first.getReady().get(1).getFingerprint(), second.getReady().get(2).getFingerprint(), "step-10 rewritten");
    assertEquals(first.getReady().get(0).getFingerprint(), second.getReady().get(1).getFingerprint(), "step-30 untouched");
  }

  @Test
  void theWindowLimitsWhatIsCheckedAndReported() throws Exception {
    Path root = tmp.resolve("run");
    CheckpointLayout layout = new CheckpointLayout(root);
    for (long step = 100; step <= 1000; step += 100) {
      layout.marker("step-" + step, ".ready", LONG_AGO);
    }
    CheckpointScan.Result r = scan(listing(root), ".ready", new StepWindow(200L, 900L, 300L, 800L));
    assertEquals(List.of(800L, 700L, 600L, 500L, 400L, 300L), ScanReports.steps(r.report()));
    assertEquals(4, r.outsideWindow());
    ScanReport aboveOnly = scan(listing(root), ".ready", new StepWindow(900L, null, null, null)).report();
    assertEquals(List.of(1000L), ScanReports.steps(aboveOnly));
    ScanReport none = scan(listing(root), ".ready", new StepWindow(1000L, null, null, null)).report();
    assertEquals(0, none.getReadyTotal());
    assertNull(none.getNewest());
  }

  @Test
  void aClaimIsListedWhereItIsMountedAndAMissingOneSaysSo() throws Exception {
    Path pvcRoot = tmp.resolve("pvc");
    new CheckpointLayout(pvcRoot.resolve("ckpts").resolve("run-1")).marker("step-7", ".ready", LONG_AGO);
    try (Storage storage = new Storage(pvcRoot, tmp.resolve("cache"), Map.of())) {
      ScanReport r = scan(storage.listing("pvc://ckpts/run-1", Purpose.CHECKPOINT_PREFIX), ".ready", StepWindow.ALL).report();
      assertEquals(List.of("7 step-7"), ScanReports.ready(r));
      WorkerException missing = assertThrows(WorkerException.class,
          () -> scan(storage.listing("pvc://other/run-1", Purpose.CHECKPOINT_PREFIX), ".ready", StepWindow.ALL));
      assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND, missing.exitCode());
      assertEquals("checkpoint prefix not found: pvc://other/run-1 (" + pvcRoot.resolve("other/run-1") + ": is the claim mounted?)",
          missing.getMessage());
      WorkerException file = assertThrows(WorkerException.class,
          () -> scan(storage.listing("pvc://ckpts/run-1/step-7/.ready", Purpose.CHECKPOINT_PREFIX), ".ready", StepWindow.ALL));
      assertEquals("checkpoint prefix pvc://ckpts/run-1/step-7/.ready is a file, not a folder", file.getMessage());
    }
  }

  @Test
  void twoFoldersWithOneStepAreRefusedNamingBoth() {
    Path root = tmp.resolve("run");
    new CheckpointLayout(root).marker("step-100", ".ready", LONG_AGO).marker("checkpoint-100", ".ready", LONG_AGO)
        .marker("step-200", ".ready", LONG_AGO);
    WorkerException e = assertThrows(WorkerException.class, () -> scan(listing(root), ".ready", StepWindow.ALL));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS, e.exitCode());
    assertEquals("folders 'checkpoint-100' and 'step-100' under file://" + root + " both give step 100: remove or rename"
        + " one, or set a step pattern that tells them apart", e.getMessage());
  }

  @Test
  void theDefaultPatternReadsTheUsualNamesAndNothingElse() {
    StepPattern p = StepPattern.of(null);
    Map<String, Long> steps = Map.of("step-100", 100L, "step200", 200L, "step_300", 300L, "checkpoint-400", 400L,
        "global_step500", 500L, "checkpoint_600", 600L, "step-0007", 7L);
    steps.forEach((name, step) -> assertEquals(step, p.step(name).orElse(-1), name));
    for (String other : List.of("tmp", "notes.txt", "tmp-checkpoint-500", "step-100.tmp", "step-", "runs",
        "step-99999999999999999999", "step--5", "stepx5", "latest")) {
      assertTrue(p.step(other).isEmpty(), other);
    }
    StepPattern custom = StepPattern.of("^iter_([0-9]+)$");
    assertEquals(3000L, custom.step("iter_0003000").orElse(-1));
    assertTrue(StepPattern.of("^run-(\\w+)$").step("run-abc").isEmpty(), "a group that is no number gives no step");
  }

  @Test
  void badArgumentsNameTheOption() {
    WorkerException regex = assertThrows(WorkerException.class, () -> StepPattern.of("step-([0-9]+"));
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS, regex.exitCode());
    assertTrue(regex.getMessage().startsWith("--step-pattern 'step-([0-9]+' is not a regular expression: Unclosed group"),
        regex.getMessage());
    WorkerException noGroup = assertThrows(WorkerException.class, () -> StepPattern.of("step-[0-9]+"));
    assertTrue(noGroup.getMessage().startsWith("--step-pattern 'step-[0-9]+' has no group"), noGroup.getMessage());
    WorkerException range = assertThrows(WorkerException.class, () -> new StepWindow(null, null, 500L, 100L));
    assertEquals("--from 500 is above --to 100: no step lies in that range", range.getMessage());
    WorkerException marker = assertThrows(WorkerException.class, () -> ReadinessRule.of("a/b", null, CLOCK));
    assertTrue(marker.getMessage().startsWith("--marker 'a/b' must be a file name"), marker.getMessage());
    WorkerException settle = assertThrows(WorkerException.class, () -> ReadinessRule.of(null, -1, CLOCK));
    assertEquals("--settle-seconds -1 must be 0 or more", settle.getMessage());
  }
}
