package dev.foresight.worker.scan;

import dev.foresight.api.worker.ScanCommand;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.storage.FolderListing;
import java.util.List;

/** Ready once the trainer has written the marker file, which it writes last. */
final class MarkerRule implements ReadinessRule {
  private static final int MAX_NAME = 128;

  private final String marker;

  /** @throws WorkerException (invalid arguments) naming {@code --marker} unless it is one file name */
  MarkerRule(String marker) {
    if (marker.isBlank() || marker.length() > MAX_NAME || marker.contains("/") || marker.equals(".") || marker.equals("..")) {
      throw WorkerException.invalidArguments(ScanCommand.MARKER + " '" + marker + "' must be a file name: no '/', not '.'"
          + " or '..', 1 to " + MAX_NAME + " characters");
    }
    this.marker = marker;
  }

  @Override
  public Verdict check(CheckpointFolder folder, FolderListing listing) {
    return folder.file(marker)
        .map(f -> Verdict.ready(Fingerprint.of(folder.name(), List.of(f))))
        .orElseGet(() -> Verdict.notReady("no " + marker + " marker yet"));
  }
}
