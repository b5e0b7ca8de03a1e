package dev.foresight.worker.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

/** A real S3-API server (s3proxy over an in-memory blob store) on a free loopback port, with signed requests. */
public final class S3ProxyServer implements AutoCloseable {
  public static final String ACCESS_KEY = "foresight-test";
  public static final String SECRET_KEY = "foresight-test-secret";

  private final BlobStoreContext context;
  private final S3Proxy proxy;

  public S3ProxyServer() throws Exception {
    context = ContextBuilder.newBuilder("transient").credentials(ACCESS_KEY, SECRET_KEY)
        .overrides(new Properties()).build(BlobStoreContext.class);
    proxy = S3Proxy.builder()
        .blobStore(context.getBlobStore())
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .endpoint(URI.create("http://127.0.0.1:0"))
        .build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      Thread.sleep(5);
    }
  }

  public String endpoint() { return "http://127.0.0.1:" + proxy.getPort(); }

  public BlobStore blobStore() { return context.getBlobStore(); }

  /** The environment a pod gets from a credentials Secret pointing at this server. */
  public Map<String, String> env() {
    return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_ENDPOINT_URL", endpoint());
  }

  public void put(String bucket, String key, byte[] content) {
    blobStore().createContainerInLocation(null, bucket);
    blobStore().putBlob(bucket, blobStore().blobBuilder(key).payload(content).build());
  }

  /** Puts every file below {@code dir} under {@code prefix}, keeping its path; returns how many. */
  public int putFolder(Path dir, String bucket, String prefix) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> all = files.filter(Files::isRegularFile).toList();
      for (Path f : all) {
        put(bucket, prefix + "/" + dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
      }
      return all.size();
    }
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("s3proxy did not stop", e);
    } finally {
      context.close();
    }
  }
}
