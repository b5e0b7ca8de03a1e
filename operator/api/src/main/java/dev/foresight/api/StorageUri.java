package dev.foresight.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed storage location: {@code pvc://claim/path}, {@code s3://bucket/prefix} or
 * {@code file:///absolute/path}. The controller mounts PVCs and passes S3 credentials; the worker
 * reads the result. Both parse with this class so they agree on what a URI means.
 *
 * @param scheme where the data lives
 * @param authority the PVC claim name or S3 bucket; empty for file
 * @param path for pvc and s3 the path inside the claim or bucket without a leading slash (may be
 *     empty); for file the absolute path
 */
public record StorageUri(Scheme scheme, String authority, String path) {

  public enum Scheme {
    PVC("pvc"),
    S3("s3"),
    FILE("file");

    private final String prefix;

    Scheme(String name) { this.prefix = name + "://"; }

    public String prefix() { return prefix; }
  }

  /**
   * Where the worker pod finds a PVC: the controller mounts claim {@code c} read-only at
   * {@code /mnt/pvc/c}, so {@code pvc://c/a/b} is {@code /mnt/pvc/c/a/b} inside the pod.
   */
  public static final String PVC_MOUNT_ROOT = "/mnt/pvc";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][-a-z0-9.]{1,61}[a-z0-9]");

  public StorageUri {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(path, "path");
  }

  /**
   * Parses {@code text}, naming {@code field} in the error so that a user knows which part of the
   * spec to fix.
   *
   * @throws IllegalArgumentException with a message of the form {@code "<field>: <problem>"}
   */
  public static StorageUri parse(String field, String text) {
    if (text == null || text.isBlank()) {
      throw invalid(field, "is required");
    }
    for (Scheme scheme : Scheme.values()) {
      if (text.startsWith(scheme.prefix())) {
        return parse(field, text, scheme, text.substring(scheme.prefix().length()));
      }
    }
    throw invalid(field, "'" + text + "' must start with pvc://, s3:// or file://");
  }

  private static StorageUri parse(String field, String text, Scheme scheme, String rest) {
    if (scheme == Scheme.FILE) {
      if (!rest.startsWith("/")) {
        throw invalid(field, "'" + text + "' must be an absolute path: file:///path");
      }
      String path = stripTrailingSlashes(rest);
      checkNoParentSegments(field, text, path);
      return new StorageUri(scheme, "", path.isEmpty() ? "/" : path);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : stripTrailingSlashes(rest.substring(slash + 1));
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (scheme == Scheme.PVC && !DNS_LABEL.matcher(authority).matches()) {
      throw invalid(field, "'" + authority + "' is not a valid PersistentVolumeClaim name"
          + " (lowercase letters, digits and '-', at most 63 characters)");
    }
    if (scheme == Scheme.S3 && !BUCKET.matcher(authority).matches()) {
      throw invalid(field, "'" + authority + "' is not a valid S3 bucket name"
          + " (3 to 63 lowercase letters, digits, '.' and '-')");
    }
    checkNoParentSegments(field, text, path);
    return new StorageUri(scheme, authority, path);
  }

  private static void checkNoParentSegments(String field, String text, String path) {
    for (String segment : path.split("/")) {
      if (segment.equals("..")) {
        throw invalid(field, "'" + text + "' must not contain '..'");
      }
    }
  }

  private static String stripTrailingSlashes(String s) {
    int end = s.length();
    while (end > 1 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }

  private static IllegalArgumentException invalid(String field, String problem) {
    return new IllegalArgumentException(field + ": " + problem);
  }

  /**
   * The local path of a pvc:// or file:// location, with PVCs mounted under {@code pvcRoot}
   * (normally {@link #PVC_MOUNT_ROOT}).
   *
   * @throws IllegalStateException for s3://, which has no local path
   */
  public java.nio.file.Path localPath(java.nio.file.Path pvcRoot) {
    return switch (scheme) {
      case FILE -> java.nio.file.Path.of(path);
      case PVC -> path.isEmpty() ? pvcRoot.resolve(authority) : pvcRoot.resolve(authority).resolve(path);
      case S3 -> throw new IllegalStateException(this + " is remote: download it first");
    };
  }

  /** The location of {@code child} below this one, e.g. a file inside a checkpoint directory. */
  public StorageUri resolve(String child) {
    String c = child.startsWith("/") ? child.substring(1) : child;
    if (path.isEmpty()) {
      return new StorageUri(scheme, authority, c);
    }
    return new StorageUri(scheme, authority, path.endsWith("/") ? path + c : path + "/" + c);
  }

  @Override
  public String toString() {
    return scheme == Scheme.FILE
        ? scheme.prefix() + path
        : scheme.prefix() + authority + (path.isEmpty() ? "" : "/" + path);
  }
}
