package dev.foresight.controller.support;

import dev.foresight.controller.config.OperatorConfig;
import dev.foresight.controller.evaluation.ProbeEvaluationReconciler;
import dev.foresight.controller.events.EventRecorder;
import dev.foresight.controller.metrics.EvaluationMetrics;
import dev.foresight.controller.metrics.MonitorMetrics;
import dev.foresight.controller.monitor.ProbeMonitorReconciler;
import dev.foresight.controller.queue.AdmissionQueue;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;

/**
 * The evaluation and monitor controllers in a real JOSDK {@link Operator}, without the rest of
 * {@link dev.foresight.controller.ForesightOperator}: for tests that write a ProbeTraining's status
 * themselves, as its own controller would, and must not race that controller doing it for real.
 */
public final class EvaluationOperator implements AutoCloseable {
  private final Operator operator;
  private final AdmissionQueue admission;

  private EvaluationOperator(KubernetesClient client, OperatorConfig config) {
    PrometheusRegistry registry = new PrometheusRegistry();
    admission = new AdmissionQueue(config.maxInFlight());
    EventRecorder events = new EventRecorder(client, "test-operator", Clock.systemUTC());
    operator = new Operator(o -> o.withKubernetesClient(client)
        // The mock server cannot serve server-side apply (see TestOperators.start).
        .withUseSSAToPatchPrimaryResource(false)
        .withSSABasedCreateUpdateMatchForDependentResources(false));
    operator.register(new ProbeEvaluationReconciler(config, admission, new EvaluationMetrics(registry), events,
        Clock.systemUTC()));
    operator.register(new ProbeMonitorReconciler(config, new MonitorMetrics(registry), events, Clock.systemUTC()));
  }

  /** Returns once the caches are synced; watches all namespaces; closes {@code client} when closed. */
  public static EvaluationOperator start(KubernetesClient client, OperatorConfig config) {
    EvaluationOperator started = new EvaluationOperator(client, config);
    started.operator.start();
    return started;
  }

  @Override
  public void close() {
    operator.stop();
    admission.disconnect();
  }
}
