package dev.foresight.controller.probe;

import dev.foresight.api.v1alpha1.ProbeSource;
import dev.foresight.api.v1alpha1.ProbeTraining;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a controller whose resources name a ProbeTraining in {@code probe.trainingRef} hears of that
 * training: an informer on ProbeTrainings whose every change wakes the resources naming it, found
 * through an index on the controller's own cache (a name is no owner reference, and a training may
 * be created after the resources that wait for it). Both the evaluation and the monitor controller
 * use it.
 */
public final class TrainingRefs<P extends HasMetadata> {
  /** The primary cache's index: {@code <namespace>/<training>} of each resource's probe.trainingRef. */
  static final String INDEX = "foresight.dev/probe-training-ref";

  private final InformerEventSource<ProbeTraining, P> source;
  private final Function<P, ProbeSource> probeOf;

  private TrainingRefs(InformerEventSource<ProbeTraining, P> source, Function<P, ProbeSource> probeOf) {
    this.source = source;
    this.probeOf = probeOf;
  }

  /**
   * Indexes the controller's cache and makes the informer; call from prepareEventSources and
   * return {@link #eventSource()} with the others.
   *
   * @param name the informer's name, unique within the controller
   * @param probeOf the resource's probe (null when its spec has none)
   */
  public static <P extends HasMetadata> TrainingRefs<P> watch(EventSourceContext<P> context, Class<P> primary,
      String name, Function<P, ProbeSource> probeOf) {
    IndexerResourceCache<P> primaries = context.getPrimaryCache();
    primaries.addIndexer(INDEX, p -> Optional.ofNullable(probeOf.apply(p))
        .map(ProbeSource::getTrainingRef)
        .map(ref -> List.of(key(p.getMetadata().getNamespace(), ref)))
        .orElse(List.of()));
    InformerEventSource<ProbeTraining, P> source = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ProbeTraining.class, primary)
            .withName(name)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(t -> primaries
                .byIndex(INDEX, key(t.getMetadata().getNamespace(), t.getMetadata().getName()))
                .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
            .build(), context);
    return new TrainingRefs<>(source, probeOf);
  }

  public InformerEventSource<ProbeTraining, P> eventSource() {
    return source;
  }

  /** The training {@code resource}'s probe names, from the cache; empty when none is named or it does not exist. */
  public Optional<ProbeTraining> training(P resource) {
    ProbeSource probe = probeOf.apply(resource);
    if (probe == null || probe.getTrainingRef() == null) {
      return Optional.empty();
    }
    return source.get(new ResourceID(probe.getTrainingRef(), resource.getMetadata().getNamespace()));
  }

  /** What {@code resource}'s probe stands for now (see {@link ProbeResolution#of}). */
  public ProbeResolution resolve(P resource, String checkpointSecret) {
    return ProbeResolution.of(probeOf.apply(resource), resource.getMetadata().getNamespace(), training(resource),
        checkpointSecret);
  }

  private static String key(String namespace, String training) {
    return namespace + "/" + training;
  }
}
