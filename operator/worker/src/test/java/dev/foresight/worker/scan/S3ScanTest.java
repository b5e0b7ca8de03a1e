package dev.foresight.worker.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.scan.ScanCodec;
import dev.foresight.api.scan.ScanReport;
import dev.foresight.api.worker.ScanCommand;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.cli.ForesightCli;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.S3ProxyServer;
import dev.foresight.worker.storage.Storage;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan against a real S3-API server (s3proxy), listing with the AWS SDK as in the pod. */
class S3ScanTest {
  private static final String BUCKET = "ckpts";
  private static final int MANY = 1_200; // more folders than one ListObjectsV2 page (1,000) holds
  private static S3ProxyServer server;

  @TempDir Path tmp;

  @BeforeAll
  static void start(@TempDir Path layoutDir) throws Exception {
    server = new S3ProxyServer();
    Instant t = Instant.now();
    new CheckpointLayout(layoutDir.resolve("run-1"))
        .single("step-100", t).marker("step-100", ".ready", t)
        .marker("step200", ".ready", t)
        .single("checkpoint-300", t)
        .marker("global_step400", ".ready", t)
        .marker("tmp", ".ready", t)
        .sharded("step-500", 3, Set.of(2), t)
        .sharded("step-600", 2, Set.of(), t)
        .marker("step-700/nested", ".ready", t); // a marker one level down is not the folder's
    server.putFolder(layoutDir.resolve("run-1"), BUCKET, "run-1");
    server.put(BUCKET, "run-1/notes.txt", "step-900".getBytes(StandardCharsets.UTF_8));
    server.put(BUCKET, "run-10/step-1/.ready", new byte[0]); // shares characters with run-1, is not below it
    for (int i = 1; i <= MANY; i++) {
      server.put(BUCKET, "many/step-" + i + "/" + (i % 5 == 0 ? "partial" : ".ready"), new byte[0]);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private CheckpointScan.Result scan(Map<String, String> env, String prefix, ReadinessRule rule, StepWindow window)
      throws InterruptedException {
    try (Storage storage = new Storage(tmp.resolve("pvc"), tmp.resolve("cache"), env)) {
      return new CheckpointScan(storage.listing(prefix, Purpose.CHECKPOINT_PREFIX), StepPattern.of(null), rule, window, 8).run();
    }
  }

  @Test
  void marksAndCompletenessAsInALocalFolderWithoutDownloadingAnything() throws Exception {
    CheckpointScan.Result marked = scan(server.env(), "s3://ckpts/run-1", ReadinessRule.of(".ready", null, Clock.systemUTC()),
        StepWindow.ALL);
    assertEquals(List.of("400 global_step400", "200 step200", "100 step-100"), ScanReports.ready(marked.report()));
    assertEquals(List.of("step-700 700: no .ready marker yet", "step-600 600: no .ready marker yet",
        "step-500 500: no .ready marker yet", "checkpoint-300 300: no .ready marker yet"), ScanReports.notReady(marked.report()));
    assertEquals(8, marked.folders());
    assertEquals(1, marked.withoutStep());
    assertTrue(marked.report().getReady().stream().allMatch(c -> c.getFingerprint().matches("[0-9a-f]{16}")));

    Clock anHourLater = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
    ScanReport complete = scan(server.env(), "s3://ckpts/run-1/", ReadinessRule.of(null, null, anHourLater), StepWindow.ALL)
        .report();
    assertEquals(List.of("600 step-600", "300 checkpoint-300", "100 step-100"), ScanReports.ready(complete));
    assertEquals(List.of("step-700 700: config.json missing", "step-500 500: shard model-00002-of-00003.safetensors missing",
        "global_step400 400: config.json missing", "step200 200: config.json missing"), ScanReports.notReady(complete));

    // Just uploaded: complete, but not settled by this clock.
    ScanReport fresh = scan(server.env(), "s3://ckpts/run-1", ReadinessRule.of(null, 3600, Clock.systemUTC()),
        new StepWindow(null, null, 600L, 600L)).report();
    assertEquals(0, fresh.getReadyTotal());
    assertTrue(fresh.getNotReady().get(0).getWhy().matches("written [0-9]+ s (ago|ahead of this clock), settles after 3600 s"),
        fresh.getNotReady().get(0).getWhy());

    assertFalse(Files.exists(tmp.resolve("cache")), "a scan downloads nothing");
  }

  @Test
  void pagesThroughMoreFoldersThanOneListingPageHolds() throws Exception {
    ReadinessRule rule = ReadinessRule.of(".ready", null, Clock.systemUTC());
    StepWindow range = new StepWindow(null, null, 1_001L, null); // checks the last 200 only, lists all 1,200
    Set<Long> expected = new TreeSet<>();
    for (long i = 1_001; i <= MANY; i++) {
      if (i % 5 != 0) {
        expected.add(i);
      }
    }
    List<Long> seen = new ArrayList<>();
    Long below = null;
    while (true) {
      CheckpointScan.Result r = scan(server.env(), "s3://ckpts/many", rule, new StepWindow(null, below, range.from(), null));
      assertEquals(MANY, r.folders(), "every folder listed, across ListObjectsV2 pages");
      ScanReport page = ScanCodec.decode(ScanCodec.encode(r.report()));
      seen.addAll(ScanReports.steps(page));
      if (!page.hasMore()) {
        break;
      }
      below = page.getReady().get(page.getReady().size() - 1).getStep();
    }
    assertEquals(seen.size(), new HashSet<>(seen).size(), "no step twice");
    assertEquals(expected, new TreeSet<>(seen));
  }

  @Test
  void storageProblemsFailWithTheStoragesMessage() throws Exception {
    ReadinessRule rule = ReadinessRule.of(".ready", null, Clock.systemUTC());
    Map<String, String> wrongKey = new HashMap<>(server.env());
    wrongKey.put("AWS_SECRET_ACCESS_KEY", "wrong");
    WorkerException refused = assertThrows(WorkerException.class, () -> scan(wrongKey, "s3://ckpts/run-1", rule, StepWindow.ALL));
    assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND, refused.exitCode());
    assertTrue(refused.getMessage().startsWith("checkpoint prefix s3://ckpts/run-1: S3 refused the request (403"),
        refused.getMessage());

    WorkerException bucket = assertThrows(WorkerException.class, () -> scan(server.env(), "s3://nobucket/run", rule, StepWindow.ALL));
    assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND, bucket.exitCode());
    assertTrue(bucket.getMessage().startsWith("checkpoint prefix not found: s3://nobucket/run (NoSuchBucket"), bucket.getMessage());

    int freePort;
    try (ServerSocket socket = new ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    Map<String, String> nowhere = new HashMap<>(server.env());
    nowhere.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + freePort);
    WorkerException unreachable = assertThrows(WorkerException.class, () -> scan(nowhere, "s3://ckpts/run-1", rule, StepWindow.ALL));
    assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND, unreachable.exitCode());
    assertTrue(unreachable.getMessage().startsWith("checkpoint prefix s3://ckpts/run-1: cannot reach http://127.0.0.1:" + freePort),
        unreachable.getMessage());

    // S3 has no empty folders: a run that has written nothing yet is an empty report, not an error.
    CheckpointScan.Result empty = scan(server.env(), "s3://ckpts/not-started", rule, StepWindow.ALL);
    assertEquals(0, empty.folders());
    assertEquals(0, empty.report().getReadyTotal());
  }

  /** As the pod runs it: its own JVM, credentials in the environment; the tensor runtime never loads. */
  @Test
  void theCommandRunsInItsOwnJvmWithoutTheTensorRuntime() throws Exception {
    Path report = tmp.resolve("termination-log");
    Path classes = tmp.resolve("classes.log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Xlog:class+load=info:file=" + classes, ForesightCli.class.getName()));
    command.addAll(new ScanCommand("s3://ckpts/run-1", null, ".ready", null, 100L, null, null, null, report.toString()).toArgs());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(server.env());
    pb.environment().put("FORESIGHT_CACHE_DIR", tmp.resolve("cache").toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), output);
    assertEquals(0, p.exitValue(), output);
    ScanReport r = ScanCodec.decode(Files.readString(report));
    assertEquals(List.of("400 global_step400", "200 step200"), ScanReports.ready(r));
    assertTrue(output.contains("s3://ckpts/run-1: 8 folders (1 without a step, 1 outside the steps asked for)"), output);

    List<String> loaded = Files.readAllLines(classes);
    assertTrue(loaded.stream().anyMatch(l -> l.contains(" " + CheckpointScan.class.getName() + " ")),
        "the class-load log shows the scan's own classes");
    List<String> tensorRuntime = loaded.stream().filter(l -> l.contains(" ai.djl.engine.") || l.contains(" ai.djl.pytorch.")
        || l.contains(" ai.djl.huggingface.")).toList();
    assertTrue(tensorRuntime.isEmpty(), "scan loaded the tensor runtime: " + tensorRuntime);
    assertFalse(Files.exists(tmp.resolve("cache")), "a scan downloads nothing");
  }
}
