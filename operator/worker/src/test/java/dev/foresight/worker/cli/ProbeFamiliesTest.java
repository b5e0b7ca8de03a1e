package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.worker.bundle.ProbeBundle;
import dev.foresight.worker.bundle.ProbeManifest;
import dev.foresight.worker.scoring.ProbeMetrics;
import dev.foresight.worker.world.TestWorld;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProbeFamiliesTest {

  @ParameterizedTest
  @ValueSource(strings = {"linear", "mlp", "attention", "submodel"})
  void everyFamilyBeatsChanceOnHeldOutPrompts(String family) {
    TestWorld world = TestWorld.get();
    long start = System.nanoTime();
    ProbeManifest m = ProbeBundle.read(world.bundle(family)).manifest();
    System.out.printf("%s trained in %.1f s%n%s%n", family, (System.nanoTime() - start) / 1e9, world.trainingOutput(family));
    double sum = 0;
    int n = 0;
    for (ProbeMetrics metrics : m.heldOut().values()) {
      if (metrics.auroc() != null) {
        sum += metrics.auroc();
        n++;
      }
    }
    assertTrue(n > 0 && sum / n > 0.6, family + ": mean held-out AUROC " + sum / n);
  }
}
