package dev.foresight.controller;

import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.config.OperatorConfig;
import dev.foresight.controller.events.EventRecorder;
import dev.foresight.controller.health.HealthServer;
import dev.foresight.controller.metrics.EvaluationMetrics;
import dev.foresight.controller.metrics.ReconcileMetrics;
import dev.foresight.controller.queue.AdmissionQueue;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as one piece: the JOSDK {@link Operator} with the ProbeEvaluation reconciler, its
 * metrics and the HTTP port for metrics and health. {@link OperatorMain} runs it in a pod; tests and
 * the benchmark run it in-process against a mock or k3s API server.
 */
public final class ForesightOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ForesightOperator.class);
  private final Operator operator;
  private final HealthServer http;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AdmissionQueue admission;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param overrides applied last to JOSDK's configuration: tests turn server-side apply off there,
   *     which Fabric8's mock server cannot serve
   */
  public ForesightOperator(OperatorConfig config, KubernetesClient client,
      Consumer<ConfigurationServiceOverrider> overrides) throws IOException {
    JvmMetrics.builder().register(registry);
    admission = new AdmissionQueue(config.maxInFlight());
    EvaluationMetrics.watch(registry, admission);
    ProbeEvaluationReconciler reconciler = new ProbeEvaluationReconciler(config, admission,
        new EvaluationMetrics(registry), new EventRecorder(client, config.podName(), Clock.systemUTC()),
        Clock.systemUTC());
    ReconcileMetrics reconcileMetrics = new ReconcileMetrics(registry);
    operator = new Operator(o -> { // JOSDK may apply this more than once: it must not register anything
      o.withKubernetesClient(client).withMetrics(reconcileMetrics);
      if (config.leaderElection()) {
        String namespace = config.operatorNamespace() != null ? config.operatorNamespace() : client.getNamespace();
        if (namespace == null) {
          throw new IllegalArgumentException(ConfigKeys.OPERATOR_NAMESPACE
              + ": is required with leader election (the namespace of the Lease)");
        }
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
            .aLeaderElectionConfiguration(config.leaseName())
            .withLeaseNamespace(namespace)
            .withIdentity(config.podName())
            // JOSDK 5.2 would exit on every loss of the lease, a clean stop included (and a
            // System.exit inside a shutdown hook hangs the JVM): exit here only on a real loss.
            .withExitOnStopLeading(false)
            .withLeaderCallbacks(new LeaderCallbacks(() -> LOG.info("leading: this replica reconciles"),
                this::leadershipLost, leader -> LOG.info("the leader is {}", leader)))
            .build());
      }
      overrides.accept(o);
    });
    operator.register(reconciler, c -> {
      if (config.watchesAllNamespaces()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(config.watchNamespaces());
      }
    });
    RuntimeInfo runtime = operator.getRuntimeInfo();
    http = new HealthServer(config.metricsPort(), registry, () -> readiness(runtime));
  }

  /**
   * Another replica may hold the Lease now; reconciling on would run two operators at once. A clean
   * stop also ends the lease, and is not a loss.
   */
  private void leadershipLost() {
    if (!closed.get()) {
      LOG.error("lost the leader Lease; exiting so that the new leader reconciles alone");
      System.exit(1);
    }
  }

  private static HealthServer.Readiness readiness(RuntimeInfo runtime) {
    if (!runtime.isStarted()) {
      return new HealthServer.Readiness(false, "starting: informers are syncing");
    }
    if (!runtime.allEventSourcesAreHealthy()) {
      return new HealthServer.Readiness(false, "unhealthy informers: " + runtime.unhealthyEventSources());
    }
    return new HealthServer.Readiness(true, "ready");
  }

  /** Serves HTTP, then starts the operator; returns once its caches are synced. */
  public void start() {
    http.start();
    operator.start();
  }

  public int httpPort() {
    return http.port();
  }

  /** Stops the operator and the HTTP port; only the first call does anything. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      operator.stop();
    } finally {
      http.close();
      admission.disconnect();
    }
  }
}
