package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.checkpoint.CheckpointWriter;
import dev.foresight.worker.checkpoint.Family;
import dev.foresight.worker.model.CausalLm;
import dev.foresight.worker.model.TinyModels;
import dev.foresight.worker.safetensors.SafetensorsDtype;
import dev.foresight.worker.safetensors.SafetensorsWeights;
import dev.foresight.worker.tokenizer.CharacterTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {

  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = ForesightCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void describesACheckpointAndRunsItForward() throws Exception {
    CharacterTokenizer.write(dir.resolve("tok"), "abcdefghijklmnopqrstuvwxyz0123456789 ");
    try (NDManager m = NDManager.newBaseManager(); CausalLm model = TinyModels.model(Family.OLMO3, m, 3)) {
      CheckpointWriter.write(model, dir.resolve("ckpt"), dir.resolve("tok"), SafetensorsDtype.BF16);
    }
    Run r = run("inspect", "file://" + dir.resolve("ckpt"), "--forward", "--prompts", "3", "--tokens", "9", "--batch-size", "2");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("architecture Olmo3ForCausalLM (norm after each branch, QK-norm)"), r.out());
    assertTrue(r.out().contains("{BF16="), r.out());
    assertTrue(r.out().contains("2 of 3 layers with a sliding window of 4"), r.out());
    assertTrue(r.out().matches("(?s).*tokenizer    sha256:[0-9a-f]{64}, bos 1, eos \\[2\\].*"), r.out());
    assertTrue(r.out().contains("weights      complete"), r.out());
    assertTrue(r.out().matches("(?s).*prefill      3 prompts × 9 tokens in .* tokens/s.*"), r.out());
  }

  @Test
  void forwardTimesWhatAProbeReadsAndTheGenerativePathBesideIt() throws Exception {
    try (NDManager m = NDManager.newBaseManager(); CausalLm model = TinyModels.model(Family.LLAMA, m, 5)) {
      CheckpointWriter.write(model, dir, null, SafetensorsDtype.F32);
    }
    Run r = run("inspect", dir.toString(), "--forward", "--prompts", "5", "--tokens", "12", "--batch-size", "0",
        "--pooling", "all-with-answer", "--layers", "1,-1", "--answer-tokens", "3", "--generate-tokens", "4", "--samples", "2");
    assertEquals(0, r.exit(), r.err());
    // On the CPU a planned batch is the default.
    assertTrue(r.out().matches("(?s).*prefill      5 prompts × 12 tokens in .* tokens/s \\(batch 32, the CPU default;"
        + " all-with-answer of layers \\[1, 3\\], answers scored\\).*"), r.out());
    assertTrue(r.out().matches("(?s).*generate     5 prompts × 2 samples, 40 new tokens in .* \\(64 sequences a batch\\);"
        + " generative ÷ probe path .*×.*"), r.out());
    Run tooLong = run("inspect", dir.toString(), "--forward", "--tokens", "4", "--answer-tokens", "4");
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), tooLong.exit(), tooLong.err());
  }

  @Test
  void exitCodesTellTheControllerWhatWentWrong() throws Exception {
    Run missing = run("inspect", dir.resolve("nothing").toString());
    assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND.code(), missing.exit());
    assertTrue(missing.err().contains("checkpoint not found"), missing.err());

    try (NDManager m = NDManager.newBaseManager(); CausalLm model = TinyModels.model(Family.LLAMA, m, 4)) {
      CheckpointWriter.write(model, dir, null, SafetensorsDtype.F32);
    }
    Run badDevice = run("inspect", dir.toString(), "--forward", "--device", "tpu");
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), badDevice.exit());
    assertTrue(badDevice.err().contains("--device must be cpu, cuda or cuda:N"), badDevice.err());
    Run noGpu = run("inspect", dir.toString(), "--forward", "--device", "cuda");
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), noGpu.exit(), "no CUDA device here");
    assertEquals(WorkerExitCode.INVALID_ARGUMENTS.code(), run("inspect").exit());

    // A weight file that lost a tensor: described, and exit code 3.
    Files.delete(dir.resolve(SafetensorsWeights.SINGLE_FILE));
    try (NDManager m = NDManager.newBaseManager(); CausalLm model = TinyModels.model(Family.LLAMA, m, 4)) {
      var writer = new dev.foresight.worker.safetensors.SafetensorsWriter();
      model.parameters().forEach((n, a) -> {
        if (!n.equals("lm_head.weight")) {
          writer.add(n, a);
        }
      });
      writer.write(dir.resolve(SafetensorsWeights.SINGLE_FILE));
    }
    Run incomplete = run("inspect", dir.toString());
    assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND.code(), incomplete.exit());
    assertTrue(incomplete.out().contains("missing lm_head.weight (50, 32)"), incomplete.out());
  }
}
