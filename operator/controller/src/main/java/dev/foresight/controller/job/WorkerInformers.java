package dev.foresight.controller.job;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.Optional;
import java.util.Set;

/**
 * The informers through which a controller hears of its own worker Jobs and their pods, in the
 * namespaces it watches, selected by the labels {@link WorkerLabels} gives each kind of Job.
 */
public final class WorkerInformers {
  private WorkerInformers() {}

  /** The Jobs a {@code primary} owns (owner references), of those {@code selector} matches. */
  public static <P extends HasMetadata> InformerEventSource<Job, P> jobs(EventSourceContext<P> context,
      Class<P> primary, String name, String selector) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, primary)
        .withName(name)
        .withLabelSelector(selector)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(primary))
        .build(), context);
  }

  /**
   * The pods of those Jobs. Pods are owned by their Job, not by the resource, so the resource's
   * name rides along as the pod template's {@code annotation}.
   */
  public static <P extends HasMetadata> InformerEventSource<Pod, P> pods(EventSourceContext<P> context,
      Class<P> primary, String name, String selector, String annotation) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, primary)
        .withName(name)
        .withLabelSelector(selector)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(pod -> Optional.ofNullable(pod.getMetadata().getAnnotations())
            .map(a -> a.get(annotation))
            .map(owner -> Set.of(new ResourceID(owner, pod.getMetadata().getNamespace())))
            .orElse(Set.of()))
        .build(), context);
  }
}
