package dev.foresight.controller;

import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.config.OperatorConfig;
import dev.foresight.controller.election.LeaseRelease;
import dev.foresight.controller.evaluation.ProbeEvaluationReconciler;
import dev.foresight.controller.events.EventRecorder;
import dev.foresight.controller.health.HealthServer;
import dev.foresight.controller.metrics.EvaluationMetrics;
import dev.foresight.controller.metrics.MonitorMetrics;
import dev.foresight.controller.monitor.ProbeMonitorReconciler;
import dev.foresight.controller.training.ProbeTrainingReconciler;
import dev.foresight.controller.metrics.ReconcileMetrics;
import dev.foresight.controller.metrics.TrainingMetrics;
import dev.foresight.controller.queue.AdmissionQueue;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
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
 * The operator as one piece: the JOSDK {@link Operator} with the ProbeEvaluation, ProbeMonitor and
 * ProbeTraining reconcilers, their metrics and the HTTP port for metrics and health. {@link OperatorMain} runs it
 * in a pod; tests and the benchmark run it in-process against a mock or k3s API server.
 */
public final class ForesightOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ForesightOperator.class);
  private final Operator operator;
  private final HealthServer http;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AdmissionQueue admission;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final KubernetesClient client;
  /** The Lease this replica competes for; null without leader election. */
  private final LeaseIdentity lease;

  /** What a replica does when another may have taken its Lease; production exits. */
  private final Runnable onLeaseLost;

  /** Where the Lease lives and who this replica is in it. */
  private record LeaseIdentity(String namespace, String name, String holder) {}

  /**
   * @param overrides applied last to JOSDK's configuration: tests turn server-side apply off there,
   *     which Fabric8's mock server cannot serve
   */
  public ForesightOperator(OperatorConfig config, KubernetesClient client,
      Consumer<ConfigurationServiceOverrider> overrides) throws IOException {
    this(config, client, overrides, () -> System.exit(1));
  }

  /**
   * @param onLeaseLost run when the leader loses its Lease without being closed: production exits
   *     the process (its pod restarts as a standby); tests, which share one JVM, close the operator
   */
  public ForesightOperator(OperatorConfig config, KubernetesClient client,
      Consumer<ConfigurationServiceOverrider> overrides, Runnable onLeaseLost) throws IOException {
    this.client = client;
    this.onLeaseLost = onLeaseLost;
    lease = config.leaderElection() ? leaseIdentity(config, client) : null;
    JvmMetrics.builder().register(registry);
    admission = new AdmissionQueue(config.maxInFlight());
    EvaluationMetrics.watch(registry, admission);
    EventRecorder events = new EventRecorder(client, config.podName(), Clock.systemUTC());
    ProbeEvaluationReconciler reconciler = new ProbeEvaluationReconciler(config, admission,
        new EvaluationMetrics(registry), events, Clock.systemUTC());
    ProbeMonitorReconciler monitors = new ProbeMonitorReconciler(config, new MonitorMetrics(registry), events,
        Clock.systemUTC());
    ProbeTrainingReconciler trainings = new ProbeTrainingReconciler(config, new TrainingMetrics(registry), events,
        Clock.systemUTC());
    TrainingMetrics.watch(registry, trainings::inProgress);
    ReconcileMetrics reconcileMetrics = new ReconcileMetrics(registry);
    operator = new Operator(o -> { // JOSDK may apply this more than once: it must not register anything
      // The client outlives JOSDK's stop: close() releases the Lease with it, then closes it.
      o.withKubernetesClient(client).withMetrics(reconcileMetrics).withCloseClientOnStop(false);
      if (lease != null) {
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
            .aLeaderElectionConfiguration(lease.name())
            .withLeaseNamespace(lease.namespace())
            .withIdentity(lease.holder())
            // JOSDK 5.2 would exit on every loss of the lease, a clean stop included (and a
            // System.exit inside a shutdown hook hangs the JVM): exit here only on a real loss.
            .withExitOnStopLeading(false)
            .withLeaderCallbacks(new LeaderCallbacks(() -> LOG.info("leading: this replica reconciles"),
                this::leadershipLost, leader -> LOG.info("the leader is {}", leader)))
            .build());
      }
      overrides.accept(o);
    });
    operator.register(reconciler, c -> watch(c, config));
    operator.register(monitors, c -> watch(c, config));
    operator.register(trainings, c -> watch(c, config));
    RuntimeInfo runtime = operator.getRuntimeInfo();
    http = new HealthServer(config.metricsPort(), registry, () -> readiness(runtime));
  }

  private static void watch(ControllerConfigurationOverrider<?> controller, OperatorConfig config) {
    if (config.watchesAllNamespaces()) {
      controller.watchingAllNamespaces();
    } else {
      controller.settingNamespaces(config.watchNamespaces());
    }
  }

  /**
   * The identity must be known here, not left to JOSDK (which falls back to HOSTNAME, then a random
   * UUID), so that close() can tell whether this replica holds the Lease it releases.
   */
  private static LeaseIdentity leaseIdentity(OperatorConfig config, KubernetesClient client) {
    String namespace = config.leaseNamespace(client.getNamespace());
    if (namespace == null) {
      throw new IllegalArgumentException(ConfigKeys.OPERATOR_NAMESPACE
          + ": is required with leader election (the namespace of the Lease)");
    }
    String holder = config.podName() != null ? config.podName() : System.getenv("HOSTNAME");
    if (holder == null || holder.isBlank()) {
      throw new IllegalArgumentException(ConfigKeys.POD_NAME
          + ": is required with leader election (this replica's identity in the Lease)");
    }
    return new LeaseIdentity(namespace, config.leaseName(), holder);
  }

  /**
   * Another replica may hold the Lease now; reconciling on would run two operators at once. A clean
   * stop also ends the lease, and is not a loss.
   */
  private void leadershipLost() {
    if (!closed.get()) {
      LOG.error("lost the leader Lease; stopping so that the new leader reconciles alone");
      onLeaseLost.run();
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

  /**
   * Stops reconciling, then gives up the Lease if this replica leads, then stops the HTTP port and
   * closes the client; only the first call does anything.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      operator.stop();
      if (lease != null) {
        LeaseRelease.release(client, lease.namespace(), lease.name(), lease.holder(), Clock.systemUTC());
      }
    } finally {
      http.close();
      admission.disconnect();
      client.close();
    }
  }
}
