package dev.foresight.controller.support;

import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.controller.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;

/** What the operator wrote about a ProbeEvaluation, read back from the API server. */
public final class EvaluationStatuses {
  private EvaluationStatuses() {}

  /** The evaluation's status; null when it has none or does not exist. */
  public static ProbeEvaluationStatus status(KubernetesClient client, String ns, String name) {
    ProbeEvaluation e = client.resources(ProbeEvaluation.class).inNamespace(ns).withName(name).get();
    return e == null ? null : e.getStatus();
  }

  public static Condition condition(ProbeEvaluationStatus status, String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow(() -> new AssertionError("no " + type + " condition"));
  }

  /** The reasons of the events about {@code name}, oldest first. */
  public static List<String> eventReasons(KubernetesClient client, String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(Event::getFirstTimestamp).thenComparing(e -> e.getMetadata().getName()))
        .map(Event::getReason)
        .toList();
  }
}
