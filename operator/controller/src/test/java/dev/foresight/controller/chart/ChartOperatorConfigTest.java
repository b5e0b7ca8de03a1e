package dev.foresight.controller.chart;

import static dev.foresight.controller.chart.RenderedChart.NAMESPACE;
import static dev.foresight.controller.chart.RenderedChart.render;
import static dev.foresight.controller.chart.RenderedChart.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.config.ConfigLoader;
import dev.foresight.controller.config.InvalidConfigException;
import dev.foresight.controller.config.OperatorConfig;
import dev.foresight.controller.job.WorkerJobBuilder;
import dev.foresight.controller.support.Fixtures;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the chart renders, read by the operator's own {@link ConfigLoader} and turned into a worker
 * Job: the values a user sets must arrive as the operator understands them, not merely as variables
 * with the right names.
 */
class ChartOperatorConfigTest {
  static final String POD = "foresight-5d9c7b8f4-x2k7q";

  /** The operator's configuration as its pod would read it, downward-API variables filled in as the kubelet would. */
  static OperatorConfig operatorConfig(RenderedChart chart) throws InvalidConfigException {
    Map<String, String> env = new HashMap<>(chart.operatorEnv());
    env.put(ConfigKeys.OPERATOR_NAMESPACE, NAMESPACE);
    env.put(ConfigKeys.POD_NAME, POD);
    return ConfigLoader.load(env);
  }

  static PodSpec workerPod(OperatorConfig config) {
    return new WorkerJobBuilder(config).build(Fixtures.evaluation("pretrain", "step-1000", 1000))
        .getSpec().getTemplate().getSpec();
  }

  @Test
  void everyInstallShapeIsAConfigurationTheOperatorAccepts() {
    ChartDeploymentTest.everyShape().forEach(chart -> {
      try {
        operatorConfig(chart);
      } catch (InvalidConfigException e) {
        throw new AssertionError("the operator would exit at start-up:\n" + e.getMessage(), e);
      }
    });
  }

  @Test
  void numericQuantitiesFromSetReachTheWorkerPod() throws InvalidConfigException {
    // --set turns 4 and 34359738368 into numbers; the chart passes them on as JSON numbers.
    RenderedChart chart = render(values("worker.resources.requests.cpu", "4",
        "worker.resources.requests.memory", "34359738368", "worker.resources.limits.memory", "64Gi"));
    ResourceRequirements resources = workerPod(operatorConfig(chart)).getContainers().get(0).getResources();
    assertEquals(new Quantity("4"), resources.getRequests().get("cpu"));
    assertEquals(new Quantity("34359738368"), resources.getRequests().get("memory"));
    assertEquals(new Quantity("64Gi"), resources.getLimits().get("memory"));
  }

  @Test
  void numericQuantitiesFromAValuesFileReachTheWorkerPod(@TempDir Path dir) throws IOException, InvalidConfigException {
    // A values file's numbers are floats to Helm (4 and 0.5 here): they must not become "4.0" or be refused.
    Path values = Files.writeString(dir.resolve("values.yaml"), """
        worker:
          resources:
            requests: {cpu: 4, memory: 32Gi}
            limits: {cpu: 0.5}
        """);
    ResourceRequirements resources = workerPod(operatorConfig(render(values))).getContainers().get(0).getResources();
    assertEquals(new Quantity("4"), resources.getRequests().get("cpu"));
    assertEquals(new Quantity("32Gi"), resources.getRequests().get("memory"));
    assertEquals(new Quantity("0.5"), resources.getLimits().get("cpu"));
  }

  @Test
  void withoutAWorkerServiceAccountPodsUseTheNamespaceDefaultAndMountNoToken() throws InvalidConfigException {
    for (RenderedChart chart : new RenderedChart[] {
        render(), // watching all namespaces with none listed: the chart cannot create the account where pods run
        render(values("worker.serviceAccount.create", false, "worker.serviceAccount.name", ""))}) {
      assertFalse(chart.operatorEnv().containsKey(ConfigKeys.WORKER_SERVICE_ACCOUNT));
      OperatorConfig config = operatorConfig(chart);
      assertNull(config.workerServiceAccount());
      PodSpec pod = workerPod(config);
      assertNull(pod.getServiceAccountName(), "no serviceAccountName: the namespace's default account");
      assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
    }
  }

  @Test
  void aWorkerServiceAccountTheChartDoesNotCreateIsUsedByName() throws InvalidConfigException {
    RenderedChart chart = render(values("worker.serviceAccount.create", false, "worker.serviceAccount.name", "evals-runner"));
    assertTrue(chart.all(ServiceAccount.class).stream().noneMatch(sa -> sa.getMetadata().getName().equals("evals-runner")));
    assertEquals("evals-runner", workerPod(operatorConfig(chart)).getServiceAccountName());
  }

  @Test
  void aCreatedWorkerServiceAccountNeedsAName() {
    Exception refused = assertThrows(IllegalStateException.class, () -> render(values(
        "watchNamespaces[0]", "team-a", "worker.serviceAccount.name", "")));
    assertTrue(refused.getMessage().contains("worker.serviceAccount.name"), refused::getMessage);
  }

  @Test
  void moreReplicasElectALeaderOnALeaseInTheReleaseNamespace() throws InvalidConfigException {
    OperatorConfig config = operatorConfig(render(values("replicaCount", 2)));
    assertTrue(config.leaderElection());
    assertEquals("foresight-leader", config.leaseName());
    assertEquals(NAMESPACE, config.operatorNamespace());
    assertEquals(POD, config.podName(), "the pod name is the leader's identity");
    assertFalse(operatorConfig(render()).leaderElection());
  }
}
