package dev.foresight.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.api.report.EvaluationReport;
import dev.foresight.api.report.ReportCodec;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.storage.S3ProxyServer;
import dev.foresight.worker.world.TestWorld;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pod's path end to end: {@code foresight evaluate} in its own JVM, as the image's entrypoint
 * runs it, with the checkpoint, the bundle and the output in S3 (s3proxy, a real S3-API server)
 * and credentials in the environment, as the controller passes them from the Secret.
 */
class S3EvaluateTest {
  private static S3ProxyServer server;
  private final TestWorld world = TestWorld.get();

  @BeforeAll
  static void start() throws Exception {
    server = new S3ProxyServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static void upload(Path dir, String bucket, String prefix) throws IOException {
    server.putFolder(dir, bucket, prefix);
  }

  private static ForesightProcess.Exit foresight(Map<String, String> env, Path scratch, String... args) throws Exception {
    return ForesightProcess.run(env, scratch, args);
  }

  @Test
  void evaluatesACheckpointAndABundleInS3AndUploadsTheOutput() throws Exception {
    Path scratch = world.scratch("s3-evaluate");
    upload(world.checkpoint(400), "checkpoints", "run-1/step-400");
    upload(world.bundle("linear"), "probes", "world/linear");
    server.blobStore().createContainerInLocation(null, "results");
    Path report = scratch.resolve("termination-log");
    ForesightProcess.Exit exit = foresight(server.env(), scratch, WorkerCommand.SUBCOMMAND, WorkerCommand.CHECKPOINT,
        "s3://checkpoints/run-1/step-400", WorkerCommand.PROBE, "s3://probes/world/linear", WorkerCommand.REPORT_FILE,
        report.toString(), WorkerCommand.OUTPUT, "s3://results/run-1/step-400.json");
    assertEquals(0, exit.code(), exit.output());
    EvaluationReport r = ReportCodec.decode(Files.readString(report));
    assertEquals(3, r.getResults().size());
    byte[] uploaded = server.blobStore().getBlob("results", "run-1/step-400.json").getPayload().openStream().readAllBytes();
    assertEquals(3, new ObjectMapper().readTree(uploaded).path("tasks").size());
  }

  @Test
  void anUnreachableEndpointIsReportedAsCheckpointNotFound() throws Exception {
    Path scratch = world.scratch("s3-unreachable");
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Map<String, String> env = new HashMap<>(server.env());
    env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + closed);
    Path report = scratch.resolve("termination-log");
    ForesightProcess.Exit exit = foresight(env, scratch, WorkerCommand.SUBCOMMAND, WorkerCommand.CHECKPOINT, "s3://checkpoints/run-1/step-400",
        WorkerCommand.PROBE, world.bundle("linear").toString(), WorkerCommand.REPORT_FILE, report.toString());
    assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND.code(), exit.code(), exit.output());
    String message = Files.readString(report);
    assertTrue(message.startsWith("checkpoint s3://checkpoints/run-1/step-400: cannot reach http://127.0.0.1:" + closed),
        message);
  }
}
