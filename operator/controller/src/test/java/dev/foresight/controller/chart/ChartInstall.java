package dev.foresight.controller.chart;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.foresight.controller.ForesightOperator;
import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.config.ConfigLoader;
import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.config.OperatorConfig;
import dev.foresight.controller.support.TestOperators;
import dev.foresight.controller.support.rbac.RbacEnforcingServer;
import dev.foresight.controller.support.rbac.RbacGrants;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.Map;

/**
 * The chart installed as a cluster admin would: rendered by real Helm, its RBAC enforced by the API
 * server for the operator's service account, the CRD applied, and operators configured by the
 * chart's own Deployment environment. What the chart forgets to grant, the operator is refused.
 */
public final class ChartInstall implements AutoCloseable {
  public final RenderedChart chart;
  public final RbacEnforcingServer api;

  private ChartInstall(RenderedChart chart) {
    this.chart = chart;
    String account = chart.deployment().getSpec().getTemplate().getSpec().getServiceAccountName();
    api = new RbacEnforcingServer(RbacGrants.forServiceAccount(chart.objects, RenderedChart.NAMESPACE, account),
        RenderedChart.NAMESPACE + ":" + account);
    TestOperators.installCrd(api.adminClient());
  }

  /** Renders with these {@code --set} values and installs. */
  public static ChartInstall install(Map<String, Object> values) {
    return new ChartInstall(RenderedChart.render(values));
  }

  public KubernetesClient admin() {
    return api.adminClient();
  }

  /** The configuration the chart's Deployment gives a replica with this pod name. */
  public OperatorConfig config(String podName) {
    Map<String, String> env = new HashMap<>();
    chart.operatorEnv().forEach((k, v) -> {
      if (v != null) { // downward-API values, set below as the kubelet would
        env.put(k, v);
      }
    });
    env.put(ConfigKeys.OPERATOR_NAMESPACE, RenderedChart.NAMESPACE);
    env.put(ConfigKeys.POD_NAME, podName);
    env.put(ConfigKeys.METRICS_PORT, "0"); // replicas share this host
    try {
      return ConfigLoader.load(env);
    } catch (InvalidConfigException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A replica running as the chart's service account; returns once its caches are synced. */
  public ForesightOperator start(String podName) {
    return TestOperators.start(api.serviceAccountClient(), config(podName));
  }

  /** The leader-election Lease the chart names, or null before the first election. */
  public Lease lease() {
    String name = chart.operatorEnv().get(ConfigKeys.LEASE_NAME);
    assertNotNull(name, "the chart names the Lease when leader election is on");
    return admin().leases().inNamespace(RenderedChart.NAMESPACE).withName(name).get();
  }

  public String leaseHolder() {
    Lease lease = lease();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  @Override
  public void close() {
    api.close();
  }
}
