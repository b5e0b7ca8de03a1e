package dev.foresight.controller.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.foresight.api.v1alpha1.MonitorCheckpoints;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.v1alpha1.StepRange;
import dev.foresight.api.v1alpha1.TrainingCheckpoints;
import dev.foresight.api.worker.TrainingStageCommand.Stage;
import dev.foresight.controller.support.Trainings;
import org.junit.jupiter.api.Test;

class FailedIndexTest {

  @Test
  void aLabelIndexIsACheckpointAndAShardOfIt() {
    ProbeTrainingSpec spec = Trainings.training("ns", "demo", 3, 4).getSpec();
    assertEquals("checkpoint " + Trainings.uri(300) + " (step 300), shard 1 of 4 (index 9 of Job demo-label-x)",
        new FailedIndex(Stage.LABEL, 9, 3, "pvc://probes/w").describe(spec, "demo-label-x"));
    assertEquals("checkpoint " + Trainings.uri(200) + " (step 200) (index 1 of Job demo-extract-x)",
        new FailedIndex(Stage.EXTRACT, 1, 3, "pvc://probes/w").describe(spec, "demo-extract-x"),
        "extraction has one index per checkpoint");
  }

  @Test
  void aMonitorsCheckpointIsNamedByItsPlaceInTheCheckStagesList() {
    ProbeTrainingSpec spec = Trainings.training("ns", "demo", 1, 2).getSpec();
    TrainingCheckpoints fromMonitor = new TrainingCheckpoints();
    fromMonitor.setMonitor(new MonitorCheckpoints("run", new StepRange(null, null)));
    spec.setCheckpoints(fromMonitor);
    assertEquals("checkpoint #2 of 5 under ProbeMonitor run's prefix (in step order, as pvc://probes/w/checkpoints.json"
        + " lists them), shard 0 of 2 (index 4 of Job j)", new FailedIndex(Stage.LABEL, 4, 5, "pvc://probes/w").describe(spec, "j"));
  }
}
