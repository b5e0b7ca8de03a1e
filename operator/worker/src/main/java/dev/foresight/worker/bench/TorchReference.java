package dev.foresight.worker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The PyTorch-eager side of the runtime benchmark: {@code bench/torch_reference.py} in a Python
 * process that loads the same checkpoint and prompts, then times one prefill or decode per request,
 * so that both sides can be measured in alternation under the same machine load.
 */
public final class TorchReference implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final PrintWriter requests;
  private final BufferedReader replies;
  private final JsonNode ready;

  private TorchReference(Process process, JsonNode ready) {
    this.process = process;
    this.requests = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.ready = ready;
  }

  /** Starts the script and waits until it has loaded the model and warmed up. */
  public static TorchReference start(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null) {
      p.destroy();
      throw new IOException("the PyTorch script exited before it was ready: " + String.join(" ", command));
    }
    TorchReference ref = new TorchReference(p, JSON.readTree(line));
    return ref;
  }

  /**
   * Arguments for the script on {@code device} ({@code cpu}, {@code cuda:N}) in {@code dtype}
   * (float32, float16, bfloat16), with {@code attention} eager or sdpa.
   */
  public static List<String> command(String python, Path script, Path checkpoint, Path prompts, int batch,
      int decodeTokens, int threads, int runs, String device, String dtype, String attention) {
    return List.of(python, script.toString(), "--checkpoint", checkpoint.toString(), "--prompts", prompts.toString(),
        "--batch-size", Integer.toString(batch), "--decode-tokens", Integer.toString(decodeTokens),
        "--threads", Integer.toString(threads), "--runs", Integer.toString(runs), "--device", device, "--dtype", dtype,
        "--attention", attention);
  }

  public String torchVersion() { return ready.get("torch").asText(); }

  public int threads() { return ready.get("threads").asInt(); }

  public double loadSeconds() { return ready.get("load_s").asDouble(); }

  /** Final-norm hidden states at each prompt's last token, [batch × hidden] floats. */
  public double[] lastTokenStates() {
    JsonNode states = ready.get("last_token_state");
    double[] v = new double[states.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = states.get(i).asDouble();
    }
    return v;
  }

  public double prefillSeconds() throws IOException { return request("prefill"); }

  /** Seconds for the decode steps alone (after a prefill that is not timed). */
  public double decodeSeconds() throws IOException { return request("decode"); }

  private double request(String what) throws IOException {
    requests.println(what);
    String line = replies.readLine();
    if (line == null) {
      throw new IOException("the PyTorch script stopped answering");
    }
    return JSON.readTree(line).get("seconds").asDouble();
  }

  @Override
  public void close() {
    requests.println("quit");
    requests.close();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroy();
      }
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
    }
  }
}
