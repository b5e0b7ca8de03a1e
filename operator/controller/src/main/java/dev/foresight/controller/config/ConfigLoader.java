package dev.foresight.controller.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.foresight.controller.validate.KubernetesSyntax;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the operator configuration from the environment and the optional YAML file named by
 * {@link ConfigKeys#CONFIG_FILE}; the environment wins. Every value is checked and every problem is
 * reported at once, naming the key and where it came from, so that a broken Deployment is fixed in
 * one go.
 */
public final class ConfigLoader {
  private static final String PREFIX = "FORESIGHT_";
  private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A raw value and where it came from, for error messages. */
  private record Raw(String text, String origin) {}

  private final Map<String, Raw> raw = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();

  private ConfigLoader() {}

  /** The file key of an environment name: FORESIGHT_WORKER_IMAGE is workerImage in the YAML file. */
  public static String fileKey(String envName) {
    String[] words = envName.substring(PREFIX.length()).toLowerCase(Locale.ROOT).split("_");
    StringBuilder key = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      key.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return key.toString();
  }

  /** Loads from {@code env} (normally {@code System.getenv()}) and the file it may name. */
  public static OperatorConfig load(Map<String, String> env) throws InvalidConfigException {
    ConfigLoader loader = new ConfigLoader();
    String file = env.get(ConfigKeys.CONFIG_FILE);
    if (file != null && !file.isBlank()) {
      loader.readFile(Path.of(file));
    }
    for (String key : ConfigKeys.ALL) {
      String value = env.get(key);
      if (value != null && !key.equals(ConfigKeys.CONFIG_FILE)) {
        loader.raw.put(key, new Raw(value, key));
      }
    }
    OperatorConfig config = loader.build();
    if (!loader.problems.isEmpty()) {
      throw new InvalidConfigException(loader.problems);
    }
    return config;
  }

  private void readFile(Path path) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(path));
    } catch (IOException e) {
      problems.add(ConfigKeys.CONFIG_FILE + ": cannot read " + path + ": " + e.getMessage());
      return;
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return; // an empty file configures nothing
    }
    if (!root.isObject()) {
      problems.add(ConfigKeys.CONFIG_FILE + ": " + path + " must be a YAML mapping of keys to values");
      return;
    }
    Map<String, String> envByFileKey = ConfigKeys.ALL.stream()
        .filter(k -> !k.equals(ConfigKeys.CONFIG_FILE))
        .collect(Collectors.toMap(ConfigLoader::fileKey, k -> k));
    root.fields().forEachRemaining(field -> {
      String env = envByFileKey.get(field.getKey());
      if (env == null) {
        problems.add("unknown key '" + field.getKey() + "' in " + path + " (known: "
            + envByFileKey.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")");
      } else if (!field.getValue().isNull()) {
        raw.put(env, new Raw(text(field.getValue()), field.getKey() + " in " + path));
      }
    });
  }

  /** Lists may be written as YAML lists, maps (resources) as YAML maps: both become the env form. */
  private static String text(JsonNode node) {
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(n -> items.add(n.asText()));
      return String.join(",", items);
    }
    return node.isObject() ? node.toString() : node.asText();
  }

  private OperatorConfig build() {
    Set<String> namespaces = namespaces();
    String operatorNamespace = optional(ConfigKeys.OPERATOR_NAMESPACE);
    if (operatorNamespace != null && !KubernetesSyntax.isDnsLabel(operatorNamespace)) {
      problem(ConfigKeys.OPERATOR_NAMESPACE, "is not a valid namespace name");
    }
    String image = optional(ConfigKeys.WORKER_IMAGE);
    if (image == null) {
      problems.add(ConfigKeys.WORKER_IMAGE + ": is required (the worker image, e.g. ghcr.io/acme/foresight-worker:0.1.0)");
    } else if (image.chars().anyMatch(Character::isWhitespace)) {
      problem(ConfigKeys.WORKER_IMAGE, "must not contain whitespace");
    }
    String pullPolicy = orDefault(ConfigKeys.WORKER_IMAGE_PULL_POLICY, OperatorConfig.DEFAULT_IMAGE_PULL_POLICY);
    if (!PULL_POLICIES.contains(pullPolicy)) {
      problem(ConfigKeys.WORKER_IMAGE_PULL_POLICY, "must be one of Always, IfNotPresent, Never");
    }
    String serviceAccount = optional(ConfigKeys.WORKER_SERVICE_ACCOUNT);
    if (serviceAccount != null && !KubernetesSyntax.isDnsSubdomain(serviceAccount)) {
      problem(ConfigKeys.WORKER_SERVICE_ACCOUNT, "is not a valid service account name");
    }
    String gpuName = orDefault(ConfigKeys.GPU_RESOURCE_NAME, OperatorConfig.DEFAULT_GPU_RESOURCE_NAME);
    if (!KubernetesSyntax.isQualifiedName(gpuName)) {
      problem(ConfigKeys.GPU_RESOURCE_NAME, "is not a resource name such as nvidia.com/gpu");
    }
    ResourceRequirements resources = resources(gpuName);
    int gpus = (int) number(ConfigKeys.DEFAULT_GPUS, OperatorConfig.DEFAULT_GPUS, 0, 16);
    int maxInFlight = (int) number(ConfigKeys.MAX_IN_FLIGHT, OperatorConfig.DEFAULT_MAX_IN_FLIGHT, 0, 100_000);
    long deadline = number(ConfigKeys.DEFAULT_DEADLINE_SECONDS, OperatorConfig.DEFAULT_DEADLINE_SECONDS, 1,
        7L * 24 * 3600);
    int backoff = (int) number(ConfigKeys.DEFAULT_BACKOFF_LIMIT, OperatorConfig.DEFAULT_BACKOFF_LIMIT, 0, 10);
    int ttl = (int) number(ConfigKeys.JOB_TTL_SECONDS, OperatorConfig.DEFAULT_JOB_TTL_SECONDS, 0, 365L * 24 * 3600);
    // Port 0 lets the system pick a free port: for tests and for running several operators by hand.
    int port = (int) number(ConfigKeys.METRICS_PORT, OperatorConfig.DEFAULT_METRICS_PORT, 0, 65535);
    boolean leaderElection = bool(ConfigKeys.LEADER_ELECTION, false);
    String leaseName = orDefault(ConfigKeys.LEASE_NAME, OperatorConfig.DEFAULT_LEASE_NAME);
    if (!KubernetesSyntax.isDnsSubdomain(leaseName)) {
      problem(ConfigKeys.LEASE_NAME, "is not a valid Lease name");
    }
    return new OperatorConfig(namespaces, operatorNamespace, optional(ConfigKeys.POD_NAME), image, pullPolicy,
        serviceAccount, resources, gpuName, gpus, maxInFlight, deadline, backoff, ttl, port, leaderElection,
        leaseName);
  }

  private Set<String> namespaces() {
    String text = optional(ConfigKeys.WATCH_NAMESPACES);
    Set<String> namespaces = new LinkedHashSet<>();
    if (text == null) {
      return namespaces;
    }
    for (String ns : text.split(",")) {
      String name = ns.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!KubernetesSyntax.isDnsLabel(name)) {
        problem(ConfigKeys.WATCH_NAMESPACES, "'" + name + "' is not a valid namespace name");
      }
      namespaces.add(name);
    }
    return namespaces;
  }

  private ResourceRequirements resources(String gpuName) {
    String text = optional(ConfigKeys.WORKER_RESOURCES);
    if (text == null) {
      return new ResourceRequirements();
    }
    ResourceRequirements resources;
    try {
      resources = JSON.readValue(text, ResourceRequirements.class);
    } catch (JsonProcessingException e) {
      problem(ConfigKeys.WORKER_RESOURCES, "is not a resources object such as "
          + "{\"requests\":{\"cpu\":\"4\",\"memory\":\"32Gi\"}}: " + e.getOriginalMessage());
      return new ResourceRequirements();
    }
    Stream.of(resources.getRequests(), resources.getLimits()).filter(Objects::nonNull).forEach(quantities ->
      quantities.forEach((name, quantity) -> {
        if (name.equals(gpuName)) {
          problem(ConfigKeys.WORKER_RESOURCES, "must not set " + gpuName + ": GPUs come from "
              + ConfigKeys.DEFAULT_GPUS + " and spec.runtime.gpus");
        } else if (!KubernetesSyntax.isQuantity(quantity)) {
          problem(ConfigKeys.WORKER_RESOURCES, name + ": '" + quantity + "' is not a quantity");
        }
      }));
    return resources;
  }

  private long number(String key, long fallback, long min, long max) {
    String text = optional(key);
    if (text == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(text);
      if (n < min || n > max) {
        problem(key, "must be between " + min + " and " + max);
        return fallback;
      }
      return n;
    } catch (NumberFormatException e) {
      problem(key, "is not a whole number");
      return fallback;
    }
  }

  private boolean bool(String key, boolean fallback) {
    String text = optional(key);
    if (text == null) {
      return fallback;
    }
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> {
        problem(key, "must be true or false");
        yield fallback;
      }
    };
  }

  private String orDefault(String key, String fallback) {
    String value = optional(key);
    return value == null ? fallback : value;
  }

  /** The trimmed value, or null when unset or blank (an empty env var means "use the default"). */
  private String optional(String key) {
    Raw value = raw.get(key);
    if (value == null || value.text().isBlank()) {
      return null;
    }
    return value.text().trim();
  }

  private void problem(String key, String what) {
    Raw value = raw.get(key);
    String origin = value == null ? key : value.origin();
    String shown = value == null ? "" : " ('" + value.text().trim() + "')";
    problems.add(origin + shown + ": " + what);
  }
}
