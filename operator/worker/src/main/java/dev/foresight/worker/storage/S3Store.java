package dev.foresight.worker.storage;

import dev.foresight.api.StorageUri;
import dev.foresight.worker.WorkerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Copies between S3 and local files with the AWS SDK v2: a prefix is downloaded object by object
 * into a cache folder, keeping each object's path below the prefix. An object already in the cache
 * with the same ETag is not downloaded again (a hand-run evaluate of a large checkpoint pays once).
 */
final class S3Store implements AutoCloseable {
  private static final String ETAG_SUFFIX = ".etag";

  private final S3Settings settings;
  private final S3Client client;

  S3Store(S3Settings settings) {
    this.settings = settings;
    S3ClientBuilder b = S3Client.builder()
        .region(Region.of(settings.region()))
        .overrideConfiguration(o -> o.apiCallAttemptTimeout(Duration.ofMinutes(30)));
    if (settings.endpoint() != null) {
      // S3-compatible servers (MinIO, Ceph, s3proxy) expect path-style URLs, and many reject the
      // CRC checksums that SDK 2.30+ adds to every request by default ("501 NotImplemented" on
      // GET, a content-SHA256 mismatch on PUT): send checksums only where S3 requires them.
      b.endpointOverride(settings.endpoint()).forcePathStyle(true)
          .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
          .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }
    if (settings.accessKeyId() != null) {
      if (settings.secretAccessKey() == null) {
        throw WorkerException.invalidArguments("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
      }
      b.credentialsProvider(StaticCredentialsProvider.create(
          AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey())));
    } else {
      b.credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    this.client = b.build();
  }

  /**
   * Downloads every object below {@code uri} (as a folder) into {@code target}; if there is none
   * and {@code uri} names one object, that object becomes {@code target}'s file of the same name.
   *
   * @return the local folder, or the local file for a single object
   */
  Path download(StorageUri uri, Path target, Purpose purpose) {
    String bucket = uri.authority();
    String prefix = folderPrefix(uri);
    return call(uri, purpose, () -> {
      List<S3Object> objects = new ArrayList<>();
      client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().forEach(o -> {
        if (!o.key().endsWith("/")) {
          objects.add(o);
        }
      });
      if (objects.isEmpty()) {
        if (uri.path().isEmpty()) {
          throw missing(uri, purpose, "the bucket is empty");
        }
        HeadObjectResponse head = client.headObject(r -> r.bucket(bucket).key(uri.path()));
        String name = uri.path().substring(uri.path().lastIndexOf('/') + 1);
        Path file = target.resolve(name);
        fetchObject(bucket, uri.path(), head.eTag(), file);
        return file;
      }
      for (S3Object o : objects) {
        Path file = target.resolve(o.key().substring(prefix.length())).normalize();
        if (!file.startsWith(target)) {
          throw new WorkerException(purpose.missingOrDenied(), purpose.noun() + " " + uri
              + ": object key '" + o.key() + "' escapes its prefix");
        }
        fetchObject(bucket, o.key(), o.eTag(), file);
      }
      return target;
    });
  }

  /** The key prefix of the objects below {@code uri} taken as a folder. */
  private static String folderPrefix(StorageUri uri) {
    return uri.path().isEmpty() ? "" : uri.path() + "/";
  }

  /**
   * Runs {@code request} (one S3 call, or a listing's pages), turning S3's answers into errors that
   * name {@code uri}: a missing key or bucket, refused credentials, an endpoint out of reach.
   */
  private <T> T call(StorageUri uri, Purpose purpose, Supplier<T> request) {
    try {
      return request.get();
    } catch (NoSuchKeyException e) {
      throw missing(uri, purpose, "no such object or prefix", e);
    } catch (S3Exception e) {
      throw refused(uri, purpose, e);
    } catch (SdkClientException e) {
      throw unreachable(uri, purpose, e);
    }
  }

  /**
   * Hands over the name of each folder directly below {@code prefix}: a listing with delimiter "/",
   * so S3 returns one common prefix per folder (1,000 a page) however many objects each holds.
   */
  void forEachFolder(StorageUri prefix, Purpose purpose, Consumer<String> folder) {
    String keyPrefix = folderPrefix(prefix);
    call(prefix, purpose, () -> {
      client.listObjectsV2Paginator(r -> r.bucket(prefix.authority()).prefix(keyPrefix).delimiter("/"))
          .commonPrefixes().forEach(p -> {
            String name = p.prefix().substring(keyPrefix.length(), p.prefix().length() - 1);
            if (!name.isEmpty()) {
              folder.accept(name);
            }
          });
      return null;
    });
  }

  /** The objects directly below {@code folder} (deeper ones are collapsed by the delimiter and left out). */
  List<StoredFile> files(StorageUri folder, Purpose purpose) {
    String keyPrefix = folderPrefix(folder);
    return call(folder, purpose, () -> {
      List<StoredFile> files = new ArrayList<>();
      client.listObjectsV2Paginator(r -> r.bucket(folder.authority()).prefix(keyPrefix).delimiter("/"))
          .contents().forEach(o -> {
            String name = o.key().substring(keyPrefix.length());
            if (!name.isEmpty()) {
              files.add(new StoredFile(name, o.size(), o.lastModified(), o.eTag()));
            }
          });
      return files;
    });
  }

  /** Reads the small object {@code file}; one that is gone or too large is an IOException, as a local file's would be. */
  byte[] read(StorageUri file, Purpose purpose, int maxBytes) throws IOException {
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = call(file, purpose, () -> client.getObject(r -> r.bucket(file.authority()).key(file.path())));
    } catch (WorkerException e) {
      if (e.getCause() instanceof NoSuchKeyException) {
        throw new NoSuchFileException(file.toString());
      }
      throw e;
    }
    try (in) {
      Long length = in.response().contentLength();
      if (length != null && length > maxBytes) {
        in.abort(); // do not drain what we will not use
        throw new IOException(file.path() + " is larger than " + maxBytes + " bytes");
      }
      return BoundedRead.readAll(in, file.path(), maxBytes);
    }
  }

  private void fetchObject(String bucket, String key, String eTag, Path file) {
    Path etagFile = file.resolveSibling("." + file.getFileName() + ETAG_SUFFIX);
    try {
      if (Files.isRegularFile(file) && Files.isRegularFile(etagFile)
          && Files.readString(etagFile, StandardCharsets.UTF_8).equals(eTag)) {
        return;
      }
      Files.createDirectories(file.getParent());
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      Files.deleteIfExists(partial);
      client.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build(), ResponseTransformer.toFile(partial));
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      if (eTag != null) {
        Files.writeString(etagFile, eTag, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Whether the object {@code file} exists (a missing bucket, refused credentials or no endpoint are errors). */
  boolean exists(StorageUri file, Purpose purpose) {
    return call(file, purpose, () -> {
      try {
        client.headObject(r -> r.bucket(file.authority()).key(file.path()));
        return true;
      } catch (NoSuchKeyException e) {
        return false;
      }
    });
  }

  void delete(StorageUri uri, Purpose purpose) {
    call(uri, purpose, () -> client.deleteObject(r -> r.bucket(uri.authority()).key(uri.path())));
  }

  void upload(Path file, StorageUri uri, Purpose purpose) {
    call(uri, purpose, () -> client.putObject(
        PutObjectRequest.builder().bucket(uri.authority()).key(uri.path()).build(), RequestBody.fromFile(file)));
  }

  private static WorkerException missing(StorageUri uri, Purpose purpose, String why) {
    return missing(uri, purpose, why, null);
  }

  private static WorkerException missing(StorageUri uri, Purpose purpose, String why, Throwable cause) {
    return new WorkerException(purpose.missingOrDenied(), purpose.noun() + " not found: " + uri + " (" + why + ")", cause);
  }

  private WorkerException refused(StorageUri uri, Purpose purpose, S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String detail = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
        ? e.getMessage() : e.awsErrorDetails().errorMessage();
    if (e.statusCode() == 404) {
      return missing(uri, purpose, code == null ? "404 Not Found" : code + ": " + detail);
    }
    String hint = e.statusCode() == 403
        ? " (check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the credentials Secret)" : "";
    return new WorkerException(purpose.missingOrDenied(), purpose.noun() + " " + uri + ": S3 refused the request ("
        + e.statusCode() + (code == null ? "" : " " + code) + "): " + detail + hint, e);
  }

  private WorkerException unreachable(StorageUri uri, Purpose purpose, SdkException e) {
    return new WorkerException(purpose.unreachable(), purpose.noun() + " " + uri + ": cannot reach "
        + settings.describeEndpoint() + ": " + rootMessage(e), e);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + root + ")";
  }

  @Override
  public void close() {
    client.close();
  }
}
