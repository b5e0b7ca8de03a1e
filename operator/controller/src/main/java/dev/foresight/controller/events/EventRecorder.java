package dev.foresight.controller.events;

import dev.foresight.controller.status.NextStatus;
import dev.foresight.controller.status.Transition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a core/v1 Event on a Foresight resource for each transition, so that
 * {@code kubectl describe pe} (or {@code pm}) tells the story. An event that cannot be written is logged, never
 * fatal: events are a courtesy, status is the record.
 */
public final class EventRecorder {
  public static final String COMPONENT = "foresight-operator";
  /** The API server keeps event messages to 1 KiB. */
  private static final int MAX_MESSAGE = 1024;
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final String instance;
  private final Clock clock;
  private final AtomicLong lastStamp = new AtomicLong();

  /** @param instance this operator replica (its pod name), or null */
  public EventRecorder(KubernetesClient client, String instance, Clock clock) {
    this.client = client;
    this.instance = instance;
    this.clock = clock;
  }

  public void record(HasMetadata subject, Transition transition) {
    Instant now = clock.instant();
    String name = subject.getMetadata().getName();
    // Like client-go: the object's name and the time in nanoseconds, here kept unique and
    // increasing within the process (names are at most 253 characters).
    long stamp = lastStamp.updateAndGet(previous -> Math.max(previous + 1, now.toEpochMilli() * 1_000_000L));
    String suffix = "." + Long.toHexString(stamp);
    String eventName = name.substring(0, Math.min(name.length(), 253 - suffix.length())) + suffix;
    Event event = new EventBuilder()
        .withNewMetadata().withName(eventName).withNamespace(subject.getMetadata().getNamespace()).endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(subject.getApiVersion())
          .withKind(subject.getKind())
          .withName(name)
          .withNamespace(subject.getMetadata().getNamespace())
          .withUid(subject.getMetadata().getUid())
          .withResourceVersion(subject.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType(transition.type())
        .withReason(transition.reason())
        .withMessage(clip(transition.message()))
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .withReportingInstance(instance)
        .withFirstTimestamp(NextStatus.timestamp(now))
        .withLastTimestamp(NextStatus.timestamp(now))
        .withCount(1)
        .build();
    try {
      client.v1().events().inNamespace(subject.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("cannot record event {} on {}/{}: {}", transition.reason(), subject.getMetadata().getNamespace(),
          name, e.getMessage());
    }
  }

  private static String clip(String message) {
    if (message == null) {
      return "";
    }
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
