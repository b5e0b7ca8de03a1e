package dev.foresight.controller.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The condition types of a ProbeEvaluation and a ProbeMonitor, and the Kubernetes rules for
 * updating a condition list.
 */
public final class Conditions {
  /** Whether the spec passed validation. */
  public static final String ACCEPTED = "Accepted";
  /** Whether the worker pod has a node: False while queued, waiting or unschedulable. */
  public static final String SCHEDULED = "Scheduled";
  public static final String COMPLETE = "Complete";
  public static final String FAILED = "Failed";
  /** ProbeMonitor: the spec is valid, the last scan worked and the monitor is not suspended. */
  public static final String READY = "Ready";
  /** ProbeMonitor: no new ready checkpoint within spec.stalledAfterSeconds while active. */
  public static final String STALLED = "Stalled";
  /** ProbeMonitor: the last scan failed, with the scan's own message. */
  public static final String SCAN_FAILED = "ScanFailed";
  /**
   * ProbeMonitor with probe.trainingRef: whether the ProbeTraining named has succeeded (False while
   * it runs or is missing, reason WaitingForTraining; False with TrainingFailed when it failed).
   */
  public static final String PROBE_READY = "ProbeReady";

  public static final String TRUE = "True";
  public static final String FALSE = "False";

  private Conditions() {}

  /**
   * Sets condition {@code type}, keeping its lastTransitionTime unless its status flips: the time
   * says when the condition last changed, not when it was last written.
   */
  public static void set(List<Condition> conditions, String type, String status, String reason, String message,
      Long generation, Instant now) {
    Optional<Condition> existing = find(conditions, type);
    String since = existing.filter(c -> Objects.equals(c.getStatus(), status))
        .map(Condition::getLastTransitionTime)
        .orElse(NextStatus.timestamp(now));
    Condition condition = new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
    existing.ifPresentOrElse(c -> conditions.set(conditions.indexOf(c), condition), () -> conditions.add(condition));
  }

  /** Whether condition {@code type} is present and True. */
  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).filter(c -> TRUE.equals(c.getStatus())).isPresent();
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
