package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.worker.WorkerExitCode;
import org.junit.jupiter.api.Test;

/** {@code foresight bench parity}: what the GPU script runs on CUDA, here on the CPU in float32. */
class BenchParityTest {

  @Test
  void everyFixturePrintsOneLineAndTheSummary() {
    Cli.Run run = Cli.run("bench", "parity", "--fixtures", "src/test/resources/parity").expectSuccess();
    String[] lines = run.out().strip().split("\n");
    assertEquals(8, lines.length, run.out());
    for (int i = 0; i < 7; i++) {
      assertTrue(lines[i].matches("parity \\S+ +cpu\\(\\) float32: hidden max\\|Δ\\| .* logits max\\|Δ\\| .*: ok"), lines[i]);
    }
    assertTrue(lines[7].matches("parity 7 of 7 fixtures within max abs ≤ 1.0E-4 on cpu\\(\\) in float32;"
        + " worst max\\|Δ\\| hidden \\d\\.\\d\\de-0[5-9], logits \\d\\.\\d\\de-0[5-9]"), lines[7]);
    Cli.Run none = Cli.run("bench", "parity", "--fixtures", "src/test/resources/nothing-here");
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), none.exitCode(), none.err());
  }
}
