package dev.foresight.controller.observe;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Job controller's FailedCreate events on a worker Job: admission runs before a pod exists, so
 * when the cluster refuses the worker pod (a missing PriorityClass, an exhausted quota) these events
 * are the only place that says why. Read on demand, one list per look, only while a Job has no pod:
 * cheaper than watching every Job event of the cluster for the rare Job that needs it.
 */
public final class PodCreationEvents {
  static final String FAILED_CREATE = "FailedCreate";

  private PodCreationEvents() {}

  /** The message of the newest FailedCreate Warning on {@code job}, if any. */
  public static Optional<String> newestRefusal(KubernetesClient client, Job job) {
    String uid = job.getMetadata().getUid();
    // The server selects by name (narrow: Job names carry the evaluation's uid); kind, uid and
    // reason are checked here.
    return client.v1().events().inNamespace(job.getMetadata().getNamespace())
        .withField("involvedObject.name", job.getMetadata().getName())
        .list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && "Job".equals(e.getInvolvedObject().getKind()))
        .filter(e -> uid == null || e.getInvolvedObject().getUid() == null || uid.equals(e.getInvolvedObject().getUid()))
        .filter(e -> FAILED_CREATE.equals(e.getReason()) && "Warning".equals(e.getType()) && e.getMessage() != null)
        .max(Comparator.comparing(PodCreationEvents::lastSeen))
        .map(Event::getMessage);
  }

  /** When the event last happened: an aggregated event's lastTimestamp, else the first time it was written. */
  private static Instant lastSeen(Event event) {
    return Stream.of(event.getLastTimestamp(), event.getEventTime() == null ? null : event.getEventTime().getTime(),
            event.getFirstTimestamp(), event.getMetadata() == null ? null : event.getMetadata().getCreationTimestamp())
        .map(JobObserver::time)
        .filter(t -> t != null)
        .findFirst()
        .orElse(Instant.MIN);
  }
}
