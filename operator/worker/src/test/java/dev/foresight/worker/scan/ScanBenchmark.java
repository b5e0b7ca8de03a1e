package dev.foresight.worker.scan;

import dev.foresight.api.scan.ScanCodec;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.S3ProxyServer;
import dev.foresight.worker.storage.Storage;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan's benchmark (BENCHMARKS.md, "Scan"), not a test:
 * <pre>
 * ./mvnw -B -pl operator/worker -am test -Dforesight.bench=true \
 *     -Dtest=ScanBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * # table: operator/worker/target/benchmark-scan.md
 * </pre>
 * 2,000 checkpoint folders of 5 files each (10,000 objects: config.json, the index, two shards,
 * a .ready marker) in a local folder and in s3proxy (in-memory store, same JVM, loopback HTTP),
 * scanned whole as a monitor's first scan does, and above the newest step but one as its later
 * scans do. Each figure: one warm-up, then the median and the range of the timed runs. The work
 * is {@code foresight scan}'s (listing, readiness, encoding the report) without the JVM's start.
 */
@EnabledIfSystemProperty(named = "foresight.bench", matches = "true")
class ScanBenchmark {
  private static final int FOLDERS = 2_000;
  private static final int RUNS = Integer.getInteger("foresight.bench.runs", 5);

  @TempDir Path tmp;

  @Test
  void scansTenThousandObjects() throws Exception {
    Path root = tmp.resolve("run");
    Instant old = Instant.now().minusSeconds(3600);
    CheckpointLayout layout = new CheckpointLayout(root);
    for (int i = 1; i <= FOLDERS; i++) {
      layout.sharded("step-" + i * 10, 2, Set.of(), old).marker("step-" + i * 10, ".ready", old);
    }
    List<String> rows = new ArrayList<>();
    try (S3ProxyServer server = new S3ProxyServer()) {
      long objects = server.putFolder(root, "bench", "run");
      String local = "file://" + root;
      String s3 = "s3://bench/run";
      StepWindow newest = new StepWindow((long) (FOLDERS - 1) * 10, null, null, null);
      ReadinessRule complete = ReadinessRule.of(null, null, Clock.systemUTC());
      ReadinessRule marker = ReadinessRule.of(".ready", null, Clock.systemUTC());
      rows.add(row("local, complete (reads 2,000 indexes), whole prefix", measure(Map.of(), local, complete, StepWindow.ALL, 8)));
      rows.add(row("local, .ready marker, whole prefix", measure(Map.of(), local, marker, StepWindow.ALL, 8)));
      rows.add(row("local, complete, above the newest but one", measure(Map.of(), local, complete, newest, 8)));
      rows.add(row("s3proxy, complete, whole prefix", measure(server.env(), s3, complete, StepWindow.ALL, 8)));
      rows.add(row("s3proxy, complete, whole prefix, 1 check at a time", measure(server.env(), s3, complete, StepWindow.ALL, 1)));
      rows.add(row("s3proxy, .ready marker, whole prefix", measure(server.env(), s3, marker, StepWindow.ALL, 8)));
      rows.add(row("s3proxy, complete, above the newest but one", measure(server.env(), s3, complete, newest, 8)));
      StringBuilder md = new StringBuilder();
      md.append(String.format(Locale.ROOT, "Scan of %,d folders × 5 files (%,d objects in S3), %d cores, %s %s, %s; "
              + "median of %d runs after a warm-up, 8 checks in flight unless said%n%n", FOLDERS, objects,
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
          LocalDate.now(), RUNS));
      md.append("| scan | median (s) | min – max (s) |\n|---|---|---|\n");
      rows.forEach(r -> md.append(r).append('\n'));
      System.out.println(md);
      Path out = Path.of("target", "benchmark-scan.md");
      Files.createDirectories(out.getParent());
      Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
    }
  }

  private double[] measure(Map<String, String> env, String prefix, ReadinessRule rule, StepWindow window, int parallel)
      throws Exception {
    double[] seconds = new double[RUNS + 1];
    for (int run = 0; run <= RUNS; run++) {
      long start = System.nanoTime();
      try (Storage storage = new Storage(tmp.resolve("pvc"), tmp.resolve("cache"), env)) {
        CheckpointScan.Result r = new CheckpointScan(storage.listing(prefix, Purpose.CHECKPOINT_PREFIX), StepPattern.of(null),
            rule, window, parallel).run();
        if (ScanCodec.encode(r.report()).isEmpty() || r.folders() != FOLDERS) {
          throw new IllegalStateException("scan saw " + r.folders() + " folders");
        }
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      seconds[run] = (System.nanoTime() - start) / 1e9;
    }
    return Arrays.copyOfRange(seconds, 1, seconds.length); // the first run warms the JIT and the page cache
  }

  private static String row(String name, double[] seconds) {
    double[] s = seconds.clone();
    Arrays.sort(s);
    double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    return String.format(Locale.ROOT, "| %s | %.3f | %.3f – %.3f |", name, median, s[0], s[s.length - 1]);
  }
}
