package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.foresight.api.worker.WorkerExitCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceOptionsTest {

  private static final String ENGINE = "libtorch 2.7.1, flavour cpu, from /cache/2.7.1-20250812-cpu-linux-x86_64";

  @Test
  void aGpuThatIsNotThereIsRefusedNamingWhatWasAskedAndWhatIsSeen() {
    var none = assertThrows(IllegalArgumentException.class, () -> DeviceOptions.resolve("cuda", 0, ENGINE));
    assertTrue(none.getMessage().startsWith("--device cuda: the PyTorch engine sees 0 GPU(s) with " + ENGINE), none.getMessage());
    assertTrue(none.getMessage().contains("does not fall back to the CPU"), none.getMessage());
    var beyond = assertThrows(IllegalArgumentException.class, () -> DeviceOptions.resolve("cuda:2", 2, ENGINE));
    assertTrue(beyond.getMessage().startsWith("--device cuda:2: the PyTorch engine sees 2 GPU(s) (cuda:0 to cuda:1)"),
        beyond.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DeviceOptions.resolve("cuda:-1", 2, ENGINE));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceOptions.resolve("cuda:x", 2, ENGINE))
        .getMessage().contains("must be a number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceOptions.resolve("gpu", 2, ENGINE))
        .getMessage().contains("must be cpu, cuda or cuda:N"));
    assertEquals(Device.gpu(1), DeviceOptions.resolve("cuda:1", 2, ENGINE));
    assertEquals(Device.gpu(0), DeviceOptions.resolve("cuda", 1, ENGINE));
    assertEquals(Device.cpu(), DeviceOptions.resolve("cpu", 0, ENGINE));
  }

  @Test
  void severalGpusAreConsecutiveFromTheDeviceAskedAndAllMustBeThere() {
    assertEquals(List.of(Device.gpu(1), Device.gpu(2)), DeviceOptions.resolve("cuda:1", 2, 4, ENGINE));
    assertEquals(List.of(Device.gpu(0)), DeviceOptions.resolve("cuda", 1, 4, ENGINE));
    var beyond = assertThrows(IllegalArgumentException.class, () -> DeviceOptions.resolve("cuda:1", 2, 2, ENGINE));
    assertTrue(beyond.getMessage().startsWith("--device cuda:2: the PyTorch engine sees 2 GPU(s)"), beyond.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceOptions.resolve("cpu", 2, 0, ENGINE))
        .getMessage().contains("needs --device cuda"));
    assertThrows(IllegalArgumentException.class, () -> DeviceOptions.resolve("cuda", 0, 4, ENGINE));
  }

  @Test
  void halfPrecisionNeedsAGpuAndBfloat16AJniThatMapsIt() {
    assertEquals(DataType.FLOAT32, DeviceOptions.dtype("float32", Device.cpu(), false));
    for (String half : List.of("float16", "bfloat16")) {
      var e = assertThrows(IllegalArgumentException.class, () -> DeviceOptions.dtype(half, Device.cpu(), true));
      assertTrue(e.getMessage().startsWith("--dtype " + half + " needs --device cuda"), e.getMessage());
    }
    assertEquals(DataType.FLOAT16, DeviceOptions.dtype("float16", Device.gpu(0), false));
    var stockJni = assertThrows(IllegalArgumentException.class, () -> DeviceOptions.dtype("bfloat16", Device.gpu(0), false));
    assertTrue(stockJni.getMessage().contains("cannot hold bfloat16"), stockJni.getMessage());
    assertEquals(DataType.BFLOAT16, DeviceOptions.dtype("bfloat16", Device.gpu(0), true));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DeviceOptions.dtype("int8", Device.gpu(0), true))
        .getMessage().contains("must be float32, float16 or bfloat16"));
  }

  /** Every command with --device refuses a missing GPU before it reads any argument's file. */
  @Test
  void everyCommandThatTakesADeviceFailsAtOnceWithoutCuda() {
    List<List<String>> commands = List.of(
        List.of("inspect", "/nowhere", "--forward"),
        List.of("bench", "runtime", "--workdir", "/nowhere"),
        List.of("evaluate", "--checkpoint", "/nowhere", "--probe", "/nowhere"),
        List.of("predict", "--checkpoint", "/nowhere", "--probe", "/nowhere"),
        List.of("extract", "--checkpoint", "/nowhere", "--output", "/nowhere.safetensors", "--task-files", "/nowhere.jsonl"),
        List.of("label", "--checkpoint", "/nowhere", "--output", "/nowhere.jsonl", "--task-files", "/nowhere.jsonl"),
        List.of("train", "--family", "linear", "--features", "/f", "--labels", "/l", "--output", "/nowhere",
            "--task-files", "/nowhere.jsonl"),
        List.of("training", "extract", "--plan", "/nowhere.json", "--index", "0"),
        List.of("training", "label", "--plan", "/nowhere.json", "--index", "0"));
    for (List<String> command : commands) {
      String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--device", "cuda"))
          .toArray(String[]::new);
      Cli.Run run = Cli.run(args);
      assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run.exitCode(), Cli.describe(args) + "\n" + run.err());
      assertTrue(run.err().contains("--device cuda: the PyTorch engine sees 0 GPU(s) with libtorch 2.7.1, flavour cpu,"
          + " CUDA not built in, from "),
          Cli.describe(args) + "\n" + run.err());
    }
    Cli.Run halfOnCpu = Cli.run("inspect", "/nowhere", "--dtype", "bfloat16");
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), halfOnCpu.exitCode());
    assertTrue(halfOnCpu.err().contains("--dtype bfloat16 needs --device cuda"), halfOnCpu.err());
  }
}
