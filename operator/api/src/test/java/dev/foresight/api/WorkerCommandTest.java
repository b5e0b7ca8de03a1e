package dev.foresight.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.api.worker.WorkerExitCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerCommandTest {

  @Test
  void rendersEveryOptionInOrder() {
    WorkerCommand c = new WorkerCommand("/mnt/checkpoint", "s3://probes/v3", List.of("gsm8k", "mbpp"),
        WorkerCommand.TERMINATION_LOG, null, "cuda", 2, "float16", 32, new WorkerCommand.Validation(4, 512, 0.6));
    assertEquals(List.of("evaluate", "--checkpoint", "/mnt/checkpoint", "--probe", "s3://probes/v3",
        "--tasks", "gsm8k,mbpp", "--report-file", "/dev/termination-log", "--device", "cuda",
        "--gpus", "2", "--dtype", "float16", "--batch-size", "32", "--validate", "--samples", "4", "--max-new-tokens", "512",
        "--temperature", "0.6"), c.toArgs());
  }

  @Test
  void leavesOutWhatIsNotSet() {
    assertEquals(List.of("evaluate", "--checkpoint", "c", "--probe", "p"),
        new WorkerCommand("c", "p", null, null, null, null, 1, null, null, null).toArgs());
    // The step follows the probe, for a probe that reads it.
    assertEquals(List.of("evaluate", "--checkpoint", "c", "--probe", "p", "--step", "2400"),
        new WorkerCommand("c", "p", null, null, null, null, 1, null, null, null, 2400L).toArgs());
  }

  @Test
  void exitCodesMapToReasons() {
    assertEquals(Reason.CheckpointNotFound, WorkerExitCode.of(3).reason());
    assertEquals(Reason.ProbeIncompatible, WorkerExitCode.of(4).reason());
    assertEquals(Reason.InvalidSpec, WorkerExitCode.of(2).reason());
    assertEquals(Reason.WorkerFailed, WorkerExitCode.of(137).reason());
  }
}
