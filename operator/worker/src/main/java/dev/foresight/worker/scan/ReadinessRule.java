package dev.foresight.worker.scan;

import dev.foresight.api.v1alpha1.Readiness;
import dev.foresight.worker.storage.FolderListing;
import java.time.Clock;
import java.time.Duration;

/** When a checkpoint folder counts as finished by the trainer (spec.checkpoints.ready). */
public interface ReadinessRule {

  /** Decides from the folder's listing; may read small files through {@code listing}, never weights. */
  Verdict check(CheckpointFolder folder, FolderListing listing);

  /**
   * A marker rule when {@code marker} is given, else the "complete and settled" rule.
   *
   * @param settleSeconds null for {@link Readiness#DEFAULT_SETTLE_SECONDS}; ignored with a marker
   */
  static ReadinessRule of(String marker, Integer settleSeconds, Clock clock) {
    if (marker != null) {
      return new MarkerRule(marker);
    }
    return new CompleteRule(Duration.ofSeconds(settleSeconds == null ? Readiness.DEFAULT_SETTLE_SECONDS : settleSeconds), clock);
  }
}
