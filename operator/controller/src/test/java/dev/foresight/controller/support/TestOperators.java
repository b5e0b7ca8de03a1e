package dev.foresight.controller.support;

import dev.foresight.controller.ForesightOperator;
import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.config.ConfigLoader;
import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Starts the real operator in-process against Fabric8's mock server in CRUD mode. */
public final class TestOperators {
  public static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
  public static final Path CRD = REPO.resolve("crds/probeevaluations.foresight.dev-v1.yml");
  public static final Path MONITOR_CRD = REPO.resolve("crds/probemonitors.foresight.dev-v1.yml");
  public static final Path TRAINING_CRD = REPO.resolve("crds/probetrainings.foresight.dev-v1.yml");
  public static final String IMAGE = "registry.example/foresight-worker:test";

  /** The mock server logs every request through java.util.logging; kept here so the setting holds. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private TestOperators() {}

  /** The committed ProbeEvaluation CRD, as a user installs it. */
  public static CustomResourceDefinition crd() {
    return crd(CRD);
  }

  public static CustomResourceDefinition crd(Path file) {
    try {
      return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(Files.readString(file),
          CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The committed CRDs: the operator watches every kind. */
  public static void installCrd(KubernetesClient client) {
    client.apiextensions().v1().customResourceDefinitions().resource(crd(CRD)).create();
    client.apiextensions().v1().customResourceDefinitions().resource(crd(MONITOR_CRD)).create();
    client.apiextensions().v1().customResourceDefinitions().resource(crd(TRAINING_CRD)).create();
  }

  /** A configuration with the test image, a free metrics port and no cap, then {@code overrides} (key, value, ...). */
  public static OperatorConfig config(String... overrides) {
    Map<String, String> env = new HashMap<>();
    env.put(ConfigKeys.WORKER_IMAGE, IMAGE);
    env.put(ConfigKeys.METRICS_PORT, "0");
    env.put(ConfigKeys.MAX_IN_FLIGHT, "0");
    for (int i = 0; i < overrides.length; i += 2) {
      env.put(overrides[i], overrides[i + 1]);
    }
    try {
      return ConfigLoader.load(env);
    } catch (InvalidConfigException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * The operator with server-side apply off: the mock server cannot serve it (production keeps it
   * on). Returns once the operator's caches are synced.
   */
  public static ForesightOperator start(KubernetesMockServer server, OperatorConfig config) {
    return start(server.createClient(), config);
  }

  /**
   * As {@link #start(KubernetesMockServer, OperatorConfig)}, on the given client (the operator closes
   * it). A replica that loses its Lease stops, as production's exits, but leaves the test's JVM running.
   */
  public static ForesightOperator start(KubernetesClient client, OperatorConfig config) {
    try {
      AtomicReference<ForesightOperator> self = new AtomicReference<>();
      ForesightOperator operator = new ForesightOperator(config, client, o -> o
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false),
          // Not on JOSDK's thread: stopping waits for JOSDK's executors, that thread among them.
          () -> new Thread(() -> self.get().close(), "lease-lost").start());
      self.set(operator);
      operator.start();
      return operator;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
