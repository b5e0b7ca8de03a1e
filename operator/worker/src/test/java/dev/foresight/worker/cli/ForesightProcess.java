package dev.foresight.worker.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code foresight} in its own JVM, as the image's entrypoint does, with {@code env} added to
 * the environment (storage settings and credentials are read from there, as in a pod).
 */
public final class ForesightProcess {

  /** The exit code and the interleaved standard output and error. */
  public record Exit(int code, String output) {}

  private ForesightProcess() {}

  /** Runs {@code args}, with the download cache under {@code scratch}. */
  public static Exit run(Map<String, String> env, Path scratch, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
        "-Dai.djl.pytorch.num_interop_threads=1", ForesightCli.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().put("DJL_OFFLINE", "true");
    pb.environment().put("FORESIGHT_CACHE_DIR", scratch.resolve("cache").toString());
    pb.environment().put("FORESIGHT_PROGRESS", "lines");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("foresight did not finish: " + output);
    }
    return new Exit(p.exitValue(), output);
  }
}
