package dev.foresight.worker.storage;

import dev.foresight.api.StorageUri;
import dev.foresight.worker.WorkerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns the locations users write into local paths: {@code file:///abs/path}, a plain path,
 * {@code pvc://claim/path} (mounted by the controller under {@link StorageUri#PVC_MOUNT_ROOT}, or
 * {@code FORESIGHT_PVC_ROOT} when run by hand) and {@code s3://bucket/prefix} (downloaded into the
 * cache folder). Also writes the {@code --output} file back to any of them, and lists a prefix's
 * folders without downloading them (the scan).
 */
public final class Storage implements AutoCloseable {
  private final Path pvcRoot;
  private final Path cacheDir;
  private final Map<String, String> env;
  private S3Store s3;

  public Storage(Path pvcRoot, Path cacheDir, Map<String, String> env) {
    this.pvcRoot = pvcRoot;
    this.cacheDir = cacheDir;
    this.env = Map.copyOf(env);
  }

  /**
   * From the process environment: PVCs under {@code FORESIGHT_PVC_ROOT} (default
   * {@value StorageUri#PVC_MOUNT_ROOT}); downloads into {@code FORESIGHT_CACHE_DIR}, else
   * {@code /scratch/foresight-cache} in the pod (the writable emptyDir), else a folder under the
   * system temp directory.
   */
  public static Storage fromEnvironment() {
    Map<String, String> env = System.getenv();
    Path pvcRoot = Path.of(env.getOrDefault("FORESIGHT_PVC_ROOT", StorageUri.PVC_MOUNT_ROOT));
    String cache = env.get("FORESIGHT_CACHE_DIR");
    Path cacheDir;
    if (cache != null && !cache.isBlank()) {
      cacheDir = Path.of(cache);
    } else if (Files.isDirectory(Path.of("/scratch")) && Files.isWritable(Path.of("/scratch"))) {
      cacheDir = Path.of("/scratch", "foresight-cache");
    } else {
      cacheDir = Path.of(System.getProperty("java.io.tmpdir"), "foresight-cache");
    }
    return new Storage(pvcRoot, cacheDir, env);
  }

  /** A location as written by a user: a URI with a scheme, or a plain local path. */
  public static StorageUri parse(String field, String location) {
    if (location != null && !location.contains("://")) {
      if (location.isBlank()) {
        throw WorkerException.invalidArguments(field + ": is required");
      }
      return new StorageUri(StorageUri.Scheme.FILE, "", Path.of(location).toAbsolutePath().normalize().toString());
    }
    try {
      return StorageUri.parse(field, location);
    } catch (IllegalArgumentException e) {
      throw WorkerException.invalidArguments(e.getMessage());
    }
  }

  /**
   * A local path holding what {@code location} names, downloading it first if it is remote.
   *
   * @throws WorkerException with the exit code {@code purpose} gives a missing, refused or
   *     unreachable location
   */
  public Path fetch(String location, Purpose purpose) {
    StorageUri uri = parse(purpose.noun(), location);
    if (uri.scheme() == StorageUri.Scheme.S3) {
      Path target = cacheDir.resolve("s3").resolve(uri.authority()).resolve(uri.path());
      return s3().download(uri, target, purpose);
    }
    Path local = uri.localPath(pvcRoot);
    if (!Files.exists(local)) {
      String where = uri.scheme() == StorageUri.Scheme.PVC ? " (" + local + ": is the claim mounted?)" : "";
      throw new WorkerException(purpose.missingOrDenied(), purpose.noun() + " not found: " + location + where);
    }
    if (!Files.isReadable(local)) {
      throw new WorkerException(purpose.missingOrDenied(), purpose.noun() + " " + location + " is not readable");
    }
    return local;
  }

  /**
   * The folders below {@code location} and their files, listed where they are: nothing is
   * downloaded. Errors name {@code purpose}'s noun and carry its exit code.
   */
  public FolderListing listing(String location, Purpose purpose) {
    StorageUri uri = parse(purpose.noun(), location);
    if (uri.scheme() == StorageUri.Scheme.S3) {
      return new S3FolderListing(s3(), uri, purpose);
    }
    return new LocalFolderListing(location, uri.localPath(pvcRoot), purpose);
  }

  /** Writes {@code file} to {@code location}: an S3 object, or a local (or mounted) path. */
  public void store(Path file, String location) {
    StorageUri uri = parse(Purpose.OUTPUT.noun(), location);
    if (uri.scheme() == StorageUri.Scheme.S3) {
      if (uri.path().isEmpty()) {
        throw WorkerException.invalidArguments("output " + location + " must name an object, not a bucket");
      }
      s3().upload(file, uri, Purpose.OUTPUT);
      return;
    }
    Path target = uri.localPath(pvcRoot);
    try {
      if (target.getParent() != null) {
        Files.createDirectories(target.getParent());
      }
      if (!file.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
        AtomicFile.copy(file, target);
      }
    } catch (IOException e) {
      throw new WorkerException(Purpose.OUTPUT.missingOrDenied(), "output " + location + ": cannot write " + target + ": " + e, e);
    }
  }

  /** Removes the file {@code location} names (an S3 object, or a local or mounted file); nothing when it is absent. */
  public void delete(String location) {
    StorageUri uri = parse(Purpose.OUTPUT.noun(), location);
    if (uri.scheme() == StorageUri.Scheme.S3) {
      s3().delete(uri, Purpose.OUTPUT);
      return;
    }
    Path target = uri.localPath(pvcRoot);
    try {
      Files.deleteIfExists(target);
    } catch (IOException e) {
      throw new WorkerException(Purpose.OUTPUT.missingOrDenied(), "output " + location + ": cannot delete " + target + ": " + e, e);
    }
  }

  /** Whether {@code location} names an existing file (an S3 object, or a local or mounted file). */
  public boolean exists(String location, Purpose purpose) {
    StorageUri uri = parse(purpose.noun(), location);
    if (uri.scheme() == StorageUri.Scheme.S3) {
      return s3().exists(uri, purpose);
    }
    return Files.isRegularFile(uri.localPath(pvcRoot));
  }

  /**
   * The local file in which an output for {@code location} is built before {@link #store} puts it
   * there whole: a hidden sibling for a local or mounted path (it survives a pod's restart on a
   * claim), a file in the cache folder for S3.
   */
  public Path workFile(String location) {
    StorageUri uri = parse(Purpose.OUTPUT.noun(), location);
    Path target = uri.scheme() == StorageUri.Scheme.S3
        ? cacheDir.resolve("outputs").resolve(uri.authority()).resolve(uri.path()) : uri.localPath(pvcRoot);
    return target.resolveSibling("." + target.getFileName() + ".partial");
  }

  private S3Store s3() {
    if (s3 == null) {
      try {
        s3 = new S3Store(S3Settings.from(env));
      } catch (IllegalArgumentException e) {
        throw WorkerException.invalidArguments(e.getMessage());
      }
    }
    return s3;
  }

  Path cacheDir() { return cacheDir; }

  @Override
  public void close() {
    if (s3 != null) {
      s3.close();
    }
  }
}
