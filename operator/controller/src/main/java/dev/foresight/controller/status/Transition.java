package dev.foresight.controller.status;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.api.v1alpha1.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Objects;
import java.util.Optional;

/**
 * What changed between two statuses, as a Kubernetes Event would tell it. Events are derived from
 * the status the operator wrote, so that each transition is announced once, however often it is
 * reconciled.
 *
 * @param type Normal or Warning
 */
public record Transition(String type, String reason, String message) {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  public static Optional<Transition> between(ProbeEvaluationStatus before, ProbeEvaluationStatus after) {
    Phase was = before == null ? null : before.getPhase();
    Phase is = after.getPhase();
    boolean jobCreated = after.getJobName() != null && (before == null || before.getJobName() == null);
    if (is == Phase.Pending && was == Phase.Pending && jobCreated) {
      // After waiting for its probe's training.
      return Optional.of(new Transition(NORMAL, "JobCreated", "created Job " + after.getJobName()));
    }
    if (is != was && is != null) {
      return Optional.of(switch (is) {
        case Queued -> new Transition(NORMAL, "Queued", after.getMessage());
        case Pending -> after.getJobName() == null
            ? new Transition(NORMAL, reason(after, Conditions.SCHEDULED).orElse("Pending"), after.getMessage())
            : jobCreated ? new Transition(NORMAL, "JobCreated", "created Job " + after.getJobName())
            : new Transition(NORMAL, "Pending", after.getMessage());
        case Running -> new Transition(NORMAL, "Started", after.getMessage());
        case Succeeded -> new Transition(NORMAL, Reason.Succeeded.name(), after.getMessage());
        case Failed -> new Transition(WARNING, reason(after, Conditions.FAILED).orElse(Reason.WorkerFailed.name()),
            after.getMessage());
      });
    }
    Optional<String> scheduledNow = reason(after, Conditions.SCHEDULED);
    if (scheduledNow.filter(Reason.Unschedulable.name()::equals).isPresent()
        && !Objects.equals(reason(before, Conditions.SCHEDULED), scheduledNow)) {
      return Optional.of(new Transition(WARNING, Reason.Unschedulable.name(), after.getMessage()));
    }
    return Optional.empty();
  }

  private static Optional<String> reason(ProbeEvaluationStatus status, String type) {
    return status == null ? Optional.empty()
        : Conditions.find(status.getConditions(), type).map(Condition::getReason);
  }
}
