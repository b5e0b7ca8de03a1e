package dev.foresight.api.v1alpha1;

/**
 * The schema pattern shared by every storage URI field: {@code pvc://claim/path},
 * {@code s3://bucket/prefix} or {@code file:///absolute/path}. The finer checks (claim and
 * bucket naming) live in {@link dev.foresight.api.StorageUri}.
 */
public final class StorageLocation {
  public static final String PATTERN =
      "^(pvc://[a-z0-9]([-a-z0-9]*[a-z0-9])?(/.*)?|s3://[a-z0-9][-a-z0-9.]*[a-z0-9](/.*)?|file:///.*)$";

  private StorageLocation() {}
}
