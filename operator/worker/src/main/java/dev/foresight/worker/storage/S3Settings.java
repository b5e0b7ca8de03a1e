package dev.foresight.worker.storage;

import java.net.URI;
import java.util.Map;

/**
 * How to reach S3, from the environment the controller gives the pod (the credentials Secret's
 * keys): {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, and optionally
 * {@code AWS_ENDPOINT_URL} (MinIO, Ceph, s3proxy: path-style addressing is then used, as those
 * servers expect) and {@code AWS_REGION} (default {@value #DEFAULT_REGION}, which S3-compatible
 * servers accept).
 *
 * @param endpoint null for AWS itself
 * @param accessKeyId null to use the SDK's default credential chain (instance roles, profiles)
 */
public record S3Settings(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
  public static final String DEFAULT_REGION = "us-east-1";

  public static S3Settings from(Map<String, String> env) {
    String endpoint = blankToNull(env.get("AWS_ENDPOINT_URL"));
    String region = blankToNull(env.get("AWS_REGION"));
    if (region == null) {
      region = blankToNull(env.get("AWS_DEFAULT_REGION"));
    }
    URI uri = null;
    if (endpoint != null) {
      uri = URI.create(endpoint);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException("AWS_ENDPOINT_URL '" + endpoint + "' is not a URL like http://minio:9000");
      }
    }
    return new S3Settings(uri, region == null ? DEFAULT_REGION : region,
        blankToNull(env.get("AWS_ACCESS_KEY_ID")), blankToNull(env.get("AWS_SECRET_ACCESS_KEY")));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  /** Where requests go, for error messages. */
  public String describeEndpoint() {
    return endpoint == null ? "AWS S3 (" + region + ")" : endpoint.toString();
  }

  @Override
  public String toString() {
    // Never print the secret.
    return "S3Settings[endpoint=" + describeEndpoint() + ", region=" + region + ", accessKeyId=" + accessKeyId + "]";
  }
}
