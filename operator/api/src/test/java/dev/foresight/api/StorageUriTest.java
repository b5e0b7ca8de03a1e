package dev.foresight.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StorageUriTest {

  @ParameterizedTest
  @CsvSource({
      "pvc://checkpoints/olmo3-7b/step120000, PVC, checkpoints, olmo3-7b/step120000",
      "pvc://checkpoints, PVC, checkpoints, ''",
      "pvc://checkpoints/a/b/, PVC, checkpoints, a/b",
      "s3://my.bucket/prefix/step-1, S3, my.bucket, prefix/step-1",
      "file:///data/ckpt/, FILE, '', /data/ckpt",
  })
  void parses(String text, StorageUri.Scheme scheme, String authority, String path) {
    StorageUri uri = StorageUri.parse("spec.checkpoint.uri", text);
    assertEquals(scheme, uri.scheme());
    assertEquals(authority, uri.authority());
    assertEquals(path, uri.path());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://x/y | must start with pvc://, s3:// or file://",
      "pvc://Claim/x | not a valid PersistentVolumeClaim name",
      "s3://ab/x | not a valid S3 bucket name",
      "file://relative/x | must be an absolute path",
      "pvc://claim/../etc | must not contain '..'",
  })
  void rejectsNamingTheField(String text, String problem) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> StorageUri.parse("spec.probe.uri", text));
    assertTrue(e.getMessage().startsWith("spec.probe.uri: "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @Test
  void blankIsRequired() {
    assertEquals("spec.output: is required",
        assertThrows(IllegalArgumentException.class, () -> StorageUri.parse("spec.output", " ")).getMessage());
  }

  @Test
  void resolvesChildrenAndPrintsBack() {
    StorageUri dir = StorageUri.parse("f", "s3://bucket/run/step-10");
    assertEquals("s3://bucket/run/step-10/config.json", dir.resolve("config.json").toString());
    assertEquals("s3://bucket/config.json", StorageUri.parse("f", "s3://bucket").resolve("/config.json").toString());
    assertEquals("file:///data/x/tokenizer.json",
        StorageUri.parse("f", "file:///data/x").resolve("tokenizer.json").toString());
  }

  @Test
  void pvcAndFileMapToLocalPaths() {
    java.nio.file.Path root = java.nio.file.Path.of(StorageUri.PVC_MOUNT_ROOT);
    assertEquals(java.nio.file.Path.of("/mnt/pvc/checkpoints/run/step-1"),
        StorageUri.parse("f", "pvc://checkpoints/run/step-1").localPath(root));
    assertEquals(java.nio.file.Path.of("/mnt/pvc/checkpoints"), StorageUri.parse("f", "pvc://checkpoints").localPath(root));
    assertEquals(java.nio.file.Path.of("/data/x"), StorageUri.parse("f", "file:///data/x").localPath(root));
    assertThrows(IllegalStateException.class, () -> StorageUri.parse("f", "s3://bucket/x").localPath(root));
  }
}
