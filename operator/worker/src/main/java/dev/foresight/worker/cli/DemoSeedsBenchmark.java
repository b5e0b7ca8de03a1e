package dev.foresight.worker.cli;

import ai.djl.Device;
import dev.foresight.worker.demo.Demo;
import dev.foresight.worker.demo.DemoPlan;
import dev.foresight.worker.demo.DemoSeeds;
import dev.foresight.worker.progress.ProgressBar;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code foresight bench demo --seeds 1,2,3 [--world many-answers]}: the default demo of the chosen
 * world kind ({@link DemoPlan#defaultFor}) on the world of each seed, each in
 * its own {@code demo-seed-<N>/} under the workdir (reused by a later run, as the demo reuses its
 * work), and the verdict over all of them ({@link DemoSeeds}), printed and written beside them as
 * {@code demo-seeds.md} and {@code demo-seeds.json}.
 */
final class DemoSeedsBenchmark {
  private final Path workdir;
  private final DemoPlan plan;
  private final List<Long> seeds;
  private final PrintWriter log;

  /** @param plan the default demo of one world kind; each seed's run is {@code plan.withSeed(seed)} */
  DemoSeedsBenchmark(Path workdir, DemoPlan plan, List<Long> seeds, PrintWriter log) {
    if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
      throw new IllegalArgumentException("--seeds: give distinct seeds, not " + seeds);
    }
    this.workdir = workdir;
    this.plan = plan;
    this.seeds = List.copyOf(seeds);
    this.log = log;
  }

  static Path worldDir(Path workdir, long seed) {
    return workdir.resolve("demo-seed-" + seed);
  }

  private String kind() { return plan.world().kind().wireName(); }

  void run(PrintWriter out) throws Exception {
    List<DemoSeeds.Row> rows = new ArrayList<>();
    List<String> times = new ArrayList<>();
    for (long seed : seeds) {
      log.printf(Locale.ROOT, "bench: the default demo on the %s world of seed %d, in %s%n", kind(), seed,
          worldDir(workdir, seed));
      log.flush();
      long start = System.nanoTime();
      rows.add(DemoSeeds.Row.of(seed, new Demo(plan.withSeed(seed), worldDir(workdir, seed), Device.cpu(), log,
          ProgressBar.Factory.STDERR).run()));
      times.add(seed + ": " + ProgressBar.clock((System.nanoTime() - start) / 1e9));
    }
    DemoSeeds verdict = DemoSeeds.of(rows);
    String report = header(times) + verdict.markdown();
    out.print(report);
    out.flush();
    Files.writeString(workdir.resolve("demo-seeds.md"), report);
    verdict.writeJson(workdir.resolve("demo-seeds.json"));
    log.printf(Locale.ROOT, "bench: written %s and %s%n", workdir.resolve("demo-seeds.md"), workdir.resolve("demo-seeds.json"));
    log.flush();
  }

  /** The report's heading and the line that says what was run, where and how long each seed took. */
  String header(List<String> times) {
    int threads = Integer.getInteger("ai.djl.pytorch.num_threads", Runtime.getRuntime().availableProcessors());
    return String.format(Locale.ROOT, "## Demo world (%s), over seeds%n%n`foresight bench demo --seeds %s"
        + " --world %s` on %s, %d cores, %d PyTorch thread(s), %s %s, %s: the default demo"
        + " (`DemoPlan.defaultFor(WorldKind.%s)`) on the world of each seed (the seed draws the prompt sets and"
        + " initialises and feeds the model; `DemoPlan.withSeed`), scored on its later checkpoints."
        + " Time per seed (reused work is not redone): %s.%n%n",
        kind(), String.join(",", seeds.stream().map(String::valueOf).toList()), kind(), System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(), threads, System.getProperty("java.vm.name"),
        System.getProperty("java.version"), LocalDate.now(), plan.world().kind().name(), String.join(", ", times));
  }
}
