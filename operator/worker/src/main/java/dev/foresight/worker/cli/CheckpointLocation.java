package dev.foresight.worker.cli;

import dev.foresight.api.StorageUri;
import java.nio.file.Path;

/** Turns a checkpoint argument (a path, file://, or pvc://) into a local directory. */
final class CheckpointLocation {

  /** Overrides where PVCs are mounted, for running by hand. */
  static final String PVC_ROOT_ENV = "FORESIGHT_PVC_ROOT";

  private CheckpointLocation() {}

  static Path resolve(String argument) {
    if (!argument.contains("://")) {
      return Path.of(argument);
    }
    StorageUri uri = StorageUri.parse("checkpoint", argument);
    if (uri.scheme() == StorageUri.Scheme.S3) {
      throw new IllegalArgumentException("checkpoint: " + argument + " is in S3; this command reads local checkpoints");
    }
    String root = System.getenv(PVC_ROOT_ENV);
    return uri.localPath(Path.of(root == null ? StorageUri.PVC_MOUNT_ROOT : root));
  }
}
