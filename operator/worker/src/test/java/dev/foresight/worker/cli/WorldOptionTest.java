package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.demo.DemoPlan;
import dev.foresight.worker.world.WorldKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --world} on {@code foresight demo} and {@code foresight bench demo}: parsed, defaulted, refused when unknown. */
class WorldOptionTest {

  private static DemoPlan plan(String... args) {
    var parsed = ForesightCli.commandLine().parseArgs(args);
    return ((DemoCommand) parsed.subcommand().commandSpec().userObject()).plan();
  }

  @Test
  void demoTakesTheWorldAndItsOwnSizes() {
    assertEquals(DemoPlan.DEFAULT, plan("demo"));
    assertEquals(DemoPlan.DEFAULT, plan("demo", "--world", "single-answer"));
    assertEquals(DemoPlan.defaultFor(WorldKind.MANY_ANSWERS), plan("demo", "--world", "many-answers"));
    DemoPlan given = plan("demo", "--world", "many-answers", "--letters", "6", "--seed", "11");
    assertEquals(6, given.world().sizes().letters());
    assertEquals(DemoPlan.defaultFor(WorldKind.MANY_ANSWERS).withSeed(11).world().training(), given.world().training());
    assertEquals(WorldKind.MANY_ANSWERS, given.world().kind());
  }

  @Test
  void anUnknownWorldIsRefusedBeforeAnyWork(@TempDir Path dir) {
    Cli.Run demo = Cli.run("demo", "--world", "flat", "--workdir", dir.resolve("w").toString());
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), demo.exitCode(), demo.err());
    assertTrue(demo.err().contains("unknown world 'flat' (expected one of single-answer, many-answers)"), demo.err());
    assertTrue(!Files.exists(dir.resolve("w")), "nothing was made");

    Cli.Run bench = Cli.run("bench", "demo", "--seeds", "1", "--world", "flat", "--workdir", dir.toString());
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), bench.exitCode(), bench.err());
    assertTrue(bench.err().contains("unknown world 'flat'"), bench.err());

    Cli.Run runtime = Cli.run("bench", "runtime", "--world", "many-answers", "--workdir", dir.toString());
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), runtime.exitCode(), runtime.err());
    assertTrue(runtime.err().contains("only 'bench demo --seeds' runs in another world"), runtime.err());
  }

  @Test
  void theSeedsReportSaysWhichWorld(@TempDir Path dir) {
    String header = new DemoSeedsBenchmark(dir, DemoPlan.defaultFor(WorldKind.MANY_ANSWERS), List.of(1L, 2L),
        new PrintWriter(new StringWriter())).header(List.of("1: 5:00", "2: 5:10"));
    assertTrue(header.startsWith("## Demo world (many-answers), over seeds"), header);
    assertTrue(header.contains("`foresight bench demo --seeds 1,2 --world many-answers`"), header);
    assertTrue(header.contains("`DemoPlan.defaultFor(WorldKind.MANY_ANSWERS)`"), header);
    assertTrue(header.contains("Time per seed (reused work is not redone): 1: 5:00, 2: 5:10."), header);
  }
}
