package dev.foresight.worker.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.api.report.EvaluationReport;
import dev.foresight.api.report.ReportCodec;
import dev.foresight.api.v1alpha1.TaskResult;
import dev.foresight.worker.cli.Cli;
import dev.foresight.worker.world.TestWorld;
import java.awt.Point;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code foresight demo} in a reduced configuration (a 600-step world, 6 checkpoints, 32 prompts
 * per task, the first 3 checkpoints labelled), run twice through the real CLI: what it reports
 * must be true of the world it made, its three outputs must agree, and the second run must reuse
 * the first one's work.
 */
class DemoTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TASKS = List.of("add", "mul", "rev");
  /** The table prints three decimals: half a unit of the last place, and a hair for binary fractions. */
  private static final double PRINTED = 5e-4 + 1e-9;

  private static Path dir;
  private static Cli.Run first;
  private static Cli.Run second;
  private static Map<Path, FileTime> madeByFirstRun;
  private static JsonNode summary;

  /** The reduced plan, with {@code steps} training steps. */
  static String[] args(Path workdir, int steps) {
    return new String[] {"demo", "--workdir", workdir.toString(), "--steps", Integer.toString(steps), "--save-every",
        "100", "--learning-rate", "3e-3", "--prompts", "32", "--labelled", "3", "--digits", "3", "--letters", "7",
        "--seed", "5"};
  }

  @BeforeAll
  static void runTwice() throws IOException {
    dir = Path.of("target", "demo-test").toAbsolutePath();
    TestWorld.deleteRecursively(dir);
    first = Cli.run(args(dir, 600)).expectSuccess();
    madeByFirstRun = modificationTimes(dir.resolve("checkpoints"), dir.resolve("labels"), dir.resolve("probes"));
    summary = JSON.readTree(dir.resolve("summary.json").toFile());
    second = Cli.run(args(dir, 600)).expectSuccess();
  }

  @Test
  void actualPassAt1RisesFromTheFirstToTheLastCheckpoint() {
    JsonNode checkpoints = summary.path("checkpoints");
    assertEquals(6, checkpoints.size());
    for (String task : TASKS) {
      double firstActual = checkpoints.get(0).path("tasks").path(task).path("actualPassAt1").asDouble();
      double lastActual = checkpoints.get(5).path("tasks").path(task).path("actualPassAt1").asDouble();
      assertTrue(lastActual > firstActual + 0.2, task + ": actual pass@1 " + firstActual + " → " + lastActual);
    }
  }

  @Test
  void everyProbeFamilyBeatsChanceOnTheLaterCheckpoints() {
    JsonNode probes = summary.path("scores").path("probes");
    assertEquals(List.of("linear", "mlp", "attention", "submodel"), names(probes));
    probes.fields().forEachRemaining(e -> assertTrue(e.getValue().path("auroc").asDouble() > 0.6,
        e.getKey() + ": AUROC on the later checkpoints " + e.getValue().path("auroc")));
    // Recomputed from the per-checkpoint numbers: the summary scores the later checkpoints only.
    String family = summary.path("family").asText();
    double sum = 0;
    int n = 0;
    for (JsonNode c : summary.path("checkpoints")) {
      for (String task : TASKS) {
        JsonNode auroc = c.path("tasks").path(task).path("predicted").path(family).path("auroc");
        if (!c.path("labelled").asBoolean() && auroc.isNumber()) {
          sum += auroc.asDouble();
          n++;
        }
      }
    }
    assertEquals(sum / n, probes.path(family).path("auroc").asDouble(), 1e-9);
  }

  @Test
  void tableJsonAndPlotAgree() throws IOException {
    String family = summary.path("family").asText();
    Pattern row = Pattern.compile("^(\\d+)(\\*?)\\s+(\\w+)\\s+([\\d.]+)\\s+\\[([\\d.]+), ([\\d.]+)\\]\\s+([\\d.]+)\\s",
        Pattern.MULTILINE);
    Matcher m = row.matcher(first.out());
    Map<String, JsonNode> points = new HashMap<>();
    for (JsonNode c : summary.path("checkpoints")) {
      points.put(c.path("step").asText(), c);
    }
    int rows = 0;
    while (m.find()) {
      JsonNode c = points.get(m.group(1));
      assertEquals(c.path("labelled").asBoolean(), !m.group(2).isEmpty(), "labelled mark of step " + m.group(1));
      JsonNode t = c.path("tasks").path(m.group(3));
      JsonNode p = t.path("predicted").path(family);
      assertEquals(p.path("passAt1").asDouble(), Double.parseDouble(m.group(4)), PRINTED);
      assertEquals(p.path("low").asDouble(), Double.parseDouble(m.group(5)), PRINTED);
      assertEquals(p.path("high").asDouble(), Double.parseDouble(m.group(6)), PRINTED);
      assertEquals(t.path("actualPassAt1").asDouble(), Double.parseDouble(m.group(7)), PRINTED);
      rows++;
    }
    assertEquals(6 * TASKS.size(), rows, "table rows in:\n" + first.out());
    assertTrue(second.out().contains(Files.readString(dir.resolve("table.txt"))), "table.txt holds the printed table"
        + " and summary (of the latest run)");

    BufferedImage png = ImageIO.read(dir.resolve("pass-at-1.png").toFile());
    assertEquals(PassAt1Plot.size(TASKS.size()).width, png.getWidth());
    assertEquals(PassAt1Plot.size(TASKS.size()).height, png.getHeight());
    int lastStep = summary.path("checkpoints").get(5).path("step").asInt();
    int predictedChecked = 0;
    for (JsonNode c : summary.path("checkpoints")) {
      for (int i = 0; i < TASKS.size(); i++) {
        JsonNode t = c.path("tasks").path(TASKS.get(i));
        Point actual = PassAt1Plot.position(i, c.path("step").asInt(), t.path("actualPassAt1").asDouble(), lastStep);
        assertEquals(PassAt1Plot.ACTUAL.getRGB(), png.getRGB(actual.x, actual.y),
            "actual pass@1 of " + TASKS.get(i) + " at step " + c.path("step") + " is drawn where the JSON puts it");
        Point predicted = PassAt1Plot.position(i, c.path("step").asInt(),
            t.path("predicted").path(family).path("passAt1").asDouble(), lastStep);
        if (predicted.distance(actual) > 2 * PassAt1Plot.DOT + 2) {
          assertEquals(PassAt1Plot.PREDICTED.getRGB(), png.getRGB(predicted.x, predicted.y),
              "predicted pass@1 of " + TASKS.get(i) + " at step " + c.path("step"));
          predictedChecked++;
        }
      }
    }
    assertTrue(predictedChecked > 0, "no predicted point stands apart from its actual one to be checked");
  }

  @Test
  void theSecondRunReusesTheFirstRunsWork() throws IOException {
    assertTrue(second.out().contains("world: reusing the 6 checkpoints"), second.out());
    assertTrue(second.out().contains("labels: reusing the labels of steps 100, 200, 300"), second.out());
    assertTrue(second.out().contains("generate: reusing the labels of steps 400, 500, 600"), second.out());
    assertFalse(first.out().contains("reuse"), "nothing to reuse on the first run: " + first.out());
    assertTrue(second.out().contains("probes: reusing linear, mlp, attention, submodel"), second.out());
    assertFalse(second.err().contains("train "), "no training progress on the second run: " + second.err());
    assertEquals(madeByFirstRun, modificationTimes(dir.resolve("checkpoints"), dir.resolve("labels"), dir.resolve("probes")),
        "the second run rewrote none of the checkpoints, labels and probes");
    // Same world, labels and probes: the same table, to the last digit.
    assertEquals(table(first.out()), table(second.out()));
  }

  @Test
  void theBundleIsANormalProbeBundleThatEvaluateAccepts() throws Exception {
    JsonNode last = summary.path("checkpoints").get(5);
    Path report = dir.resolve("report.json");
    Cli.run("evaluate", "--checkpoint", dir.resolve("checkpoints").resolve("step-" + last.path("step").asInt()).toString(),
        "--probe", dir.resolve("bundle").toString(), "--report-file", report.toString()).expectSuccess();
    EvaluationReport r = ReportCodec.decode(Files.readString(report));
    assertEquals(TASKS.size(), r.getResults().size());
    for (TaskResult t : r.getResults()) {
      assertEquals(last.path("tasks").path(t.getTask()).path("predicted").path(summary.path("family").asText())
          .path("passAt1").asDouble(), t.getPredictedPassAt1(), 1e-3, t.getTask());
    }
  }

  @Test
  void aWorkdirWithAnotherWorldIsRefusedAndLeftAlone() throws IOException {
    Cli.Run run = Cli.run(args(dir, 700));
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("holds a demo world made with other settings"), run.err());
    assertTrue(Files.isDirectory(dir.resolve("checkpoints").resolve("step-600")));
  }

  @Test
  void aPlanWithoutLaterCheckpointsOrWithAnUnknownFamilyIsRefusedBeforeAnyWork() throws IOException {
    Path empty = dir.resolveSibling("demo-test-refused");
    Cli.Run all = Cli.run("demo", "--workdir", empty.toString(), "--steps", "300", "--save-every", "100", "--labelled", "3");
    assertEquals(2, all.exitCode(), all.err());
    assertTrue(all.err().contains("labelled checkpoints must be between 1 and 2"), all.err());
    Cli.Run family = Cli.run("demo", "--workdir", empty.toString(), "--family", "forest");
    assertEquals(2, family.exitCode(), family.err());
    assertTrue(family.err().contains("unknown probe family 'forest'"), family.err());
    assertFalse(Files.exists(empty), "nothing was written");
  }

  private static String table(String out) {
    return out.substring(out.indexOf("step    task"), out.indexOf("Time per checkpoint"));
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Map<Path, FileTime> modificationTimes(Path... roots) throws IOException {
    Map<Path, FileTime> times = new HashMap<>();
    for (Path root : roots) {
      try (Stream<Path> s = Files.walk(root)) {
        for (Path p : s.filter(Files::isRegularFile).toList()) {
          times.put(p, Files.getLastModifiedTime(p));
        }
      }
    }
    return times;
  }
}
