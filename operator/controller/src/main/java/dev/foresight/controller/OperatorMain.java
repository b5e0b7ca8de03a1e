package dev.foresight.controller;

import dev.foresight.controller.config.ConfigLoader;
import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.config.OperatorConfig;
import dev.foresight.controller.rbac.PermissionCheck;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's entry point in its pod: read and check the configuration, check the permissions,
 * then run until stopped. Each problem at start-up ends the process with a message that says what
 * to fix: exit code 2 for configuration, 1 for permissions or a failed start.
 */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) {
    OperatorConfig config;
    try {
      config = ConfigLoader.load(System.getenv());
    } catch (InvalidConfigException e) {
      LOG.error(e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    String leaseNamespace = config.leaseNamespace(client.getNamespace());
    List<String> missing = PermissionCheck.missing(client, config, leaseNamespace);
    if (!missing.isEmpty()) {
      LOG.error("the operator's service account lacks these permissions (the Helm chart grants them;"
          + " see RequiredPermissions):\n  - {}", String.join("\n  - ", missing));
      System.exit(1);
      return;
    }
    try {
      ForesightOperator operator = new ForesightOperator(config, client, o -> { });
      Runtime.getRuntime().addShutdownHook(new Thread(operator::close, "foresight-shutdown"));
      operator.start();
      LOG.info("Foresight operator started: watching {}, at most {} evaluations in flight, metrics on port {}",
          config.watchesAllNamespaces() ? "all namespaces" : config.watchNamespaces(),
          config.maxInFlight() == 0 ? "unlimited" : config.maxInFlight(), operator.httpPort());
    } catch (Exception e) {
      LOG.error("the operator failed to start: {}", e.getMessage(), e);
      System.exit(1);
    }
  }
}
