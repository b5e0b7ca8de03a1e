package dev.foresight.worker.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.worker.WorkerExitCode;
import dev.foresight.worker.WorkerException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jclouds.blobstore.domain.Blob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {
  private static S3ProxyServer server;
  @TempDir Path tmp;

  @BeforeAll
  static void startS3() throws Exception {
    server = new S3ProxyServer();
    server.put("models", "run1/step-100/config.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    server.put("models", "run1/step-100/shards/model.safetensors", new byte[] {1, 2, 3, 4});
    server.put("models", "run1/step-1000/config.json", "{\"other\":true}".getBytes(StandardCharsets.UTF_8));
    server.put("models", "bundles/task.jsonl", "x\n".getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stopS3() throws Exception {
    server.close();
  }

  private Storage storage(Map<String, String> env) {
    return new Storage(tmp.resolve("pvc"), tmp.resolve("cache"), env);
  }

  @Test
  void downloadsAPrefixAsAFolderAndNothingBeyondIt() throws IOException {
    try (Storage s = storage(server.env())) {
      Path dir = s.fetch("s3://models/run1/step-100", Purpose.CHECKPOINT);
      assertEquals("{\"a\":1}", Files.readString(dir.resolve("config.json")));
      assertArrayEquals(new byte[] {1, 2, 3, 4}, Files.readAllBytes(dir.resolve("shards/model.safetensors")));
      // "step-100" is a folder: "step-1000" shares the characters but is not below it.
      assertTrue(dir.startsWith(tmp.resolve("cache")));
      assertEquals(2, Files.walk(dir).filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".")).count());

      // A second fetch with an unchanged object keeps the cached file; a changed one is fetched again.
      Files.writeString(dir.resolve("config.json"), "{\"a\":1}");
      server.put("models", "run1/step-100/config.json", "{\"a\":2}".getBytes(StandardCharsets.UTF_8));
      s.fetch("s3://models/run1/step-100/", Purpose.CHECKPOINT);
      assertEquals("{\"a\":2}", Files.readString(dir.resolve("config.json")));
    }
  }

  @Test
  void downloadsASingleObject() throws IOException {
    try (Storage s = storage(server.env())) {
      Path f = s.fetch("s3://models/bundles/task.jsonl", Purpose.INPUT);
      assertEquals("task.jsonl", f.getFileName().toString());
      assertEquals("x\n", Files.readString(f));
    }
  }

  @Test
  void missingCheckpointIsCheckpointNotFound() {
    try (Storage s = storage(server.env())) {
      WorkerException e = assertThrows(WorkerException.class, () -> s.fetch("s3://models/run1/step-7", Purpose.CHECKPOINT));
      assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND, e.exitCode());
      assertEquals("checkpoint not found: s3://models/run1/step-7 (no such object or prefix)", e.getMessage());
      WorkerException bucket = assertThrows(WorkerException.class, () -> s.fetch("s3://nobucket/x", Purpose.PROBE_BUNDLE));
      assertEquals(WorkerExitCode.INVALID_ARGUMENTS, bucket.exitCode());
      assertTrue(bucket.getMessage().startsWith("probe bundle not found: s3://nobucket/x (NoSuchBucket"), bucket.getMessage());
    }
  }

  @Test
  void wrongKeyIsRefusedWithAHint() {
    Map<String, String> env = new HashMap<>(server.env());
    env.put("AWS_SECRET_ACCESS_KEY", "wrong");
    try (Storage s = storage(env)) {
      WorkerException e = assertThrows(WorkerException.class, () -> s.fetch("s3://models/run1/step-100", Purpose.CHECKPOINT));
      assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND, e.exitCode());
      assertTrue(e.getMessage().startsWith("checkpoint s3://models/run1/step-100: S3 refused the request (403"), e.getMessage());
      assertTrue(e.getMessage().endsWith("(check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the credentials Secret)"), e.getMessage());
    }
  }

  @Test
  void unreachableEndpointNamesIt() throws IOException {
    int freePort;
    try (ServerSocket socket = new ServerSocket(0)) {
      freePort = socket.getLocalPort();
    }
    Map<String, String> env = new HashMap<>(server.env());
    env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + freePort);
    try (Storage s = storage(env)) {
      WorkerException e = assertThrows(WorkerException.class, () -> s.fetch("s3://models/run1", Purpose.CHECKPOINT));
      assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND, e.exitCode());
      assertTrue(e.getMessage().startsWith("checkpoint s3://models/run1: cannot reach http://127.0.0.1:" + freePort + ": "),
          e.getMessage());
      WorkerException bundle = assertThrows(WorkerException.class, () -> s.fetch("s3://models/b", Purpose.PROBE_BUNDLE));
      assertEquals(WorkerExitCode.FAILED, bundle.exitCode());
    }
  }

  @Test
  void uploadsTheOutputFile() throws IOException {
    Path out = Files.writeString(tmp.resolve("out.json"), "{\"prompts\":[]}");
    try (Storage s = storage(server.env())) {
      s.store(out, "s3://models/results/step-100.json");
    }
    Blob blob = server.blobStore().getBlob("models", "results/step-100.json");
    assertEquals("{\"prompts\":[]}", new String(blob.getPayload().openStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void localPathsPvcsAndFileUris() throws IOException {
    Path ckpt = Files.createDirectories(tmp.resolve("pvc/checkpoints/run/step-5"));
    try (Storage s = storage(Map.of())) {
      assertEquals(ckpt, s.fetch("pvc://checkpoints/run/step-5", Purpose.CHECKPOINT));
      assertEquals(ckpt, s.fetch("file://" + ckpt, Purpose.CHECKPOINT));
      assertEquals(ckpt, s.fetch(ckpt.toString(), Purpose.CHECKPOINT));
      WorkerException e = assertThrows(WorkerException.class, () -> s.fetch("pvc://checkpoints/run/step-6", Purpose.CHECKPOINT));
      assertEquals(WorkerExitCode.CHECKPOINT_NOT_FOUND, e.exitCode());
      assertEquals("checkpoint not found: pvc://checkpoints/run/step-6 (" + tmp.resolve("pvc/checkpoints/run/step-6")
          + ": is the claim mounted?)", e.getMessage());
      WorkerException bad = assertThrows(WorkerException.class, () -> s.fetch("pvc://Bad_Claim/x", Purpose.CHECKPOINT));
      assertEquals(WorkerExitCode.INVALID_ARGUMENTS, bad.exitCode());

      Path out = Files.writeString(tmp.resolve("o.json"), "{}");
      s.store(out, tmp.resolve("results/deep/o.json").toString());
      assertEquals("{}", Files.readString(tmp.resolve("results/deep/o.json")));
    }
  }
}
