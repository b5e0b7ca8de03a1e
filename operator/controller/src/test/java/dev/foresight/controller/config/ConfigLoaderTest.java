package dev.foresight.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final String IMAGE = "ghcr.io/acme/foresight-worker:0.1.0";

  @Test
  void defaults() throws InvalidConfigException {
    OperatorConfig c = ConfigLoader.load(Map.of(ConfigKeys.WORKER_IMAGE, IMAGE));
    assertTrue(c.watchesAllNamespaces());
    assertEquals(IMAGE, c.workerImage());
    assertEquals("IfNotPresent", c.workerImagePullPolicy());
    assertEquals("nvidia.com/gpu", c.gpuResourceName());
    assertEquals(1, c.defaultGpus());
    assertEquals(0, c.maxInFlight());
    assertEquals(3600, c.defaultDeadlineSeconds());
    assertEquals(1, c.defaultBackoffLimit());
    assertEquals(86400, c.jobTtlSeconds());
    assertEquals(8080, c.metricsPort());
    assertFalse(c.leaderElection());
    assertEquals("foresight-operator", c.leaseName());
  }

  @Test
  void environment() throws InvalidConfigException {
    OperatorConfig c = ConfigLoader.load(Map.of(
        ConfigKeys.WORKER_IMAGE, IMAGE,
        ConfigKeys.WATCH_NAMESPACES, " pretrain, evals ,",
        ConfigKeys.MAX_IN_FLIGHT, "6",
        ConfigKeys.GPU_RESOURCE_NAME, "amd.com/gpu",
        ConfigKeys.WORKER_RESOURCES, "{\"requests\":{\"cpu\":\"4\",\"memory\":\"32Gi\"}}",
        ConfigKeys.LEADER_ELECTION, "TRUE",
        ConfigKeys.OPERATOR_NAMESPACE, "foresight-system"));
    assertEquals(Set.of("pretrain", "evals"), c.watchNamespaces());
    assertEquals(6, c.maxInFlight());
    assertEquals("amd.com/gpu", c.gpuResourceName());
    assertEquals(new Quantity("32Gi"), c.workerResources().getRequests().get("memory"));
    assertTrue(c.leaderElection());
    assertEquals("foresight-system", c.operatorNamespace());
  }

  @Test
  void fileWithCamelCaseKeysAndTheEnvironmentWins(@TempDir Path dir) throws IOException, InvalidConfigException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, """
        workerImage: ghcr.io/acme/from-file:1
        watchNamespaces: [pretrain, evals]
        maxInFlight: 4
        workerResources:
          requests: {cpu: "2", memory: 16Gi}
        leaderElection: true
        """);
    OperatorConfig c = ConfigLoader.load(Map.of(ConfigKeys.CONFIG_FILE, file.toString(), ConfigKeys.MAX_IN_FLIGHT, "12"));
    assertEquals("ghcr.io/acme/from-file:1", c.workerImage());
    assertEquals(Set.of("pretrain", "evals"), c.watchNamespaces());
    assertEquals(12, c.maxInFlight(), "the environment wins");
    assertEquals(new Quantity("16Gi"), c.workerResources().getRequests().get("memory"));
    assertTrue(c.leaderElection());
  }

  @Test
  void everyProblemIsReportedAtOnceNamingKeyAndValue(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "maxInFlite: 3\ndefaultGpus: lots\n");
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(Map.of(
        ConfigKeys.CONFIG_FILE, file.toString(),
        ConfigKeys.METRICS_PORT, "http",
        ConfigKeys.WORKER_IMAGE_PULL_POLICY, "Sometimes",
        ConfigKeys.WATCH_NAMESPACES, "Pretrain",
        ConfigKeys.GPU_RESOURCE_NAME, "gpus please",
        ConfigKeys.WORKER_RESOURCES, "{\"limits\":{\"memory\":\"lots\"}}",
        ConfigKeys.LEADER_ELECTION, "yes")));
    String message = e.getMessage();
    for (String expected : new String[] {
        "FORESIGHT_WORKER_IMAGE: is required",
        "unknown key 'maxInFlite' in " + file,
        "defaultGpus in " + file + " ('lots'): is not a whole number",
        "FORESIGHT_METRICS_PORT ('http'): is not a whole number",
        "FORESIGHT_WORKER_IMAGE_PULL_POLICY ('Sometimes'): must be one of Always, IfNotPresent, Never",
        "FORESIGHT_WATCH_NAMESPACES ('Pretrain'): 'Pretrain' is not a valid namespace name",
        "FORESIGHT_GPU_RESOURCE_NAME ('gpus please'): is not a resource name",
        "memory: 'lots' is not a quantity",
        "FORESIGHT_LEADER_ELECTION ('yes'): must be true or false"}) {
      assertTrue(message.contains(expected), "expected '" + expected + "' in:\n" + message);
    }
    assertEquals(9, e.problems().size(), message);
  }

  @Test
  void quantitiesMayBeJsonNumbersAsHelmWritesThem() throws InvalidConfigException {
    // helm --set worker.resources.requests.cpu=4 reaches toJson as the number 4, not the string "4".
    OperatorConfig c = ConfigLoader.load(Map.of(ConfigKeys.WORKER_IMAGE, IMAGE,
        ConfigKeys.WORKER_RESOURCES, "{\"requests\":{\"cpu\":4,\"memory\":34359738368},\"limits\":{\"cpu\":0.5}}"));
    assertEquals(new Quantity("4"), c.workerResources().getRequests().get("cpu"));
    // Quantity's equals compares the amounts as numbers: 34359738368 is 32Gi, 0.5 is 500m.
    assertEquals(new Quantity("32Gi"), c.workerResources().getRequests().get("memory"));
    assertEquals(new Quantity("500m"), c.workerResources().getLimits().get("cpu"));

    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(Map.of(
        ConfigKeys.WORKER_IMAGE, IMAGE, ConfigKeys.WORKER_RESOURCES, "{\"requests\":{\"cpu\":true}}")));
    assertTrue(e.getMessage().contains("FORESIGHT_WORKER_RESOURCES ('{\"requests\":{\"cpu\":true}}'): cpu: 'true' is not a quantity"),
        e.getMessage());
  }

  @Test
  void aBlankWorkerServiceAccountMeansTheNamespaceDefault() throws InvalidConfigException {
    OperatorConfig c = ConfigLoader.load(Map.of(ConfigKeys.WORKER_IMAGE, IMAGE, ConfigKeys.WORKER_SERVICE_ACCOUNT, " "));
    assertEquals(null, c.workerServiceAccount());
  }

  @Test
  void gpusAreNotDefaultResources() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(Map.of(
        ConfigKeys.WORKER_IMAGE, IMAGE, ConfigKeys.WORKER_RESOURCES, "{\"limits\":{\"nvidia.com/gpu\":\"1\"}}")));
    assertTrue(e.getMessage().contains("must not set nvidia.com/gpu: GPUs come from FORESIGHT_DEFAULT_GPUS"), e.getMessage());
  }

  @Test
  void rangesAreChecked() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(Map.of(
        ConfigKeys.WORKER_IMAGE, IMAGE, ConfigKeys.DEFAULT_DEADLINE_SECONDS, "0", ConfigKeys.MAX_IN_FLIGHT, "-1",
        ConfigKeys.DEFAULT_BACKOFF_LIMIT, "11")));
    assertEquals(3, e.problems().size(), e.getMessage());
    assertTrue(e.getMessage().contains("FORESIGHT_DEFAULT_DEADLINE_SECONDS ('0'): must be between 1 and"), e.getMessage());
  }

  @Test
  void fileKeysAreTheCamelCaseOfTheEnvironmentNames() {
    assertEquals("workerImage", ConfigLoader.fileKey(ConfigKeys.WORKER_IMAGE));
    assertEquals("defaultDeadlineSeconds", ConfigLoader.fileKey(ConfigKeys.DEFAULT_DEADLINE_SECONDS));
    assertEquals("metricsPort", ConfigLoader.fileKey(ConfigKeys.METRICS_PORT));
  }
}
