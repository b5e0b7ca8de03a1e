package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.labels.LabelFile;
import dev.foresight.worker.runtime.Pooling;
import dev.foresight.worker.world.TestWorld;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM (a pod's eviction or preemption, Ctrl-C) in the middle of a long command, sent to the
 * real CLI in its own JVM: the command stops at its next safe point and the JVM exits with 143
 * (128 + SIGTERM) without a crash, leaving only whole outputs, and running the command again
 * finishes the work.
 */
class StopOnSignalTest {
  /** A progress bar's count, e.g. {@code 16/192 prompts}: work has started and is not done. */
  private static final Pattern PROGRESS = Pattern.compile("\\s(\\d+)/(\\d+) \\w");

  private final TestWorld world = TestWorld.get();

  @Test
  void aStoppedLabelRunKeepsWholePromptsAndTheRerunLabelsOnlyTheRest() throws Exception {
    Path dir = world.scratch("sigterm-label");
    Path output = dir.resolve("labels.jsonl");
    String[] args = ProbesBenchmark.labelArgs(TestWorld.RECIPE, world.checkpoint(400), world.tasksDir().toString(), output);

    stopMidway(dir, args);
    String written = Files.readString(output);
    assertTrue(written.endsWith("\n"), "only whole lines");
    int kept = LabelFile.read(output).count();
    int total = world.tasks().promptCount();
    assertTrue(kept > 0 && kept < total, "stopped midway with finished prompts kept: " + kept);

    Cli.Run rerun = Cli.run(args).expectSuccess();
    assertTrue(rerun.out().contains((total - kept) + " prompts labelled now, " + kept + " before; " + total + " of "
        + total + " done"), rerun.out());
    Path uninterrupted = world.labels(400);
    assertTrue(LabelFile.read(output).header().sameRunAs(LabelFile.read(uninterrupted).header()));
    List<String> labels = Files.readAllLines(output);
    List<String> expected = Files.readAllLines(uninterrupted);
    assertEquals(expected.size(), labels.size(), "no prompt twice");
    // Below the header (its task map's order may differ), the very lines of an uninterrupted run.
    assertTrue(new HashSet<>(labels.subList(1, labels.size())).equals(new HashSet<>(expected.subList(1, expected.size()))),
        "the same labels as an uninterrupted run");
  }

  @Test
  void aStoppedTrainingLeavesNoBundleAndTheRerunTrainsTheSameBundleWithoutLibtorchWarnings() throws Exception {
    Path dir = world.scratch("sigterm-train");
    Path output = dir.resolve("bundle");
    List<String> endless = new ArrayList<>(List.of(world.trainArgs("linear", Pooling.LAST, output)));
    endless.addAll(List.of("--epochs", "1000000", "--patience", "1000000"));

    stopMidway(dir, endless.toArray(String[]::new));
    assertFalse(Files.exists(output.resolve(ProbeBundle.MANIFEST)), "nothing a reader would take for a bundle");

    // The rerun in a JVM of its own, so that what libtorch prints on its first use shows on its stderr.
    Child rerun = Child.start(dir, "rerun", world.trainArgs("linear", Pooling.LAST, output));
    assertEquals(0, rerun.waitFor(), rerun.stderr());
    assertFalse(rerun.stderr().contains("Warning:"), "libtorch warned the user:\n" + rerun.stderr());
    Path uninterrupted = world.bundle("linear");
    assertArrayEquals(Files.readAllBytes(uninterrupted.resolve(ProbeBundle.WEIGHTS)),
        Files.readAllBytes(output.resolve(ProbeBundle.WEIGHTS)), "the bundle an uninterrupted run trains");
    ProbeBundle.read(output);
  }

  @Test
  void aStoppedEvaluationReportsWhyAndWritesNoOutputAndTheRerunCompletes() throws Exception {
    Path dir = world.scratch("sigterm-evaluate");
    Path output = dir.resolve("output.json");
    Path report = dir.resolve("termination-log");
    String[] args = {"evaluate", "--checkpoint", world.checkpoint(400).toString(), "--probe",
        world.bundle("linear").toString(), "--validate", "--samples", "4", "--max-new-tokens", "40", "--output",
        output.toString(), "--report-file", report.toString()};

    stopMidway(dir, args);
    assertFalse(Files.exists(output), "no output from a stopped evaluation");
    assertTrue(Files.readString(report).startsWith("stopped: "), "the termination message says why: "
        + Files.readString(report));

    Cli.run(args).expectSuccess();
    JsonNode tasks = new ObjectMapper().readTree(output.toFile()).path("tasks");
    int prompts = 0;
    for (JsonNode task : tasks) {
      prompts += task.path("prompts").size();
    }
    assertEquals(world.tasks().promptCount(), prompts, "every prompt evaluated");
    assertTrue(new ObjectMapper().readTree(report.toFile()).has("results"), "the report of a finished evaluation");
  }

  /** Runs the command in a child JVM, sends SIGTERM once its progress shows it midway, and checks how it ended. */
  private static void stopMidway(Path dir, String[] args) throws Exception {
    Child child = Child.start(dir, "stopped", args);
    child.awaitProgress();
    child.process.destroy(); // SIGTERM
    int exit = child.waitFor();
    String stderr = child.stderr();
    assertEquals(143, exit, "exit status 128 + SIGTERM\n" + stderr);
    assertFalse(stderr.contains("SIGSEGV") || stderr.contains("fatal error"), stderr);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith("hs_err")).toList(),
          "the JVM crashed");
    }
    assertTrue(stderr.contains("foresight: stopped: "), "the command stopped at a safe point, not at the deadline\n"
        + stderr);
  }

  /** The real {@code foresight} in a JVM of its own, as the launcher and the worker image start it. */
  private record Child(Process process, Path stderrFile) {
    static Child start(Path dir, String name, String... args) throws IOException {
      List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
          "-cp", System.getProperty("java.class.path"), "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"),
          "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ForesightCli.class.getName()));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(dir.resolve(name + ".out").toFile())
          .redirectError(dir.resolve(name + ".err").toFile());
      builder.environment().put("DJL_OFFLINE", "true");
      builder.environment().put("FORESIGHT_PROGRESS", "bar"); // redrawn often: midway shows soon
      return new Child(builder.start(), dir.resolve(name + ".err"));
    }

    void awaitProgress() throws IOException, InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (System.nanoTime() < deadline) {
        Matcher m = PROGRESS.matcher(stderr());
        while (m.find()) {
          if (Long.parseLong(m.group(1)) > 0 && Long.parseLong(m.group(1)) < Long.parseLong(m.group(2))) {
            return;
          }
        }
        assertTrue(process.isAlive(), "the command ended before it was stopped\n" + stderr());
        Thread.sleep(20);
      }
      process.destroyForcibly();
      throw new AssertionError("no progress within 2 minutes\n" + stderr());
    }

    int waitFor() throws InterruptedException {
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("still running 2 minutes later");
      }
      return process.exitValue();
    }

    String stderr() throws IOException {
      return Files.readString(stderrFile);
    }
  }
}
