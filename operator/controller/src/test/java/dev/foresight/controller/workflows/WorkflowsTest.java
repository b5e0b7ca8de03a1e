package dev.foresight.controller.workflows;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The GitHub Actions workflows can only run in GitHub: what can be checked here is checked here.
 * Each is valid YAML of the workflow shape, each action is pinned, and everything they name in this
 * repository exists: files and scripts, Maven modules, profiles and image properties, chart values.
 */
class WorkflowsTest {
  static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
  static final Path WORKFLOWS = REPO.resolve(".github/workflows");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** What a path in a run script looks like: relative, with a slash, no variables or globs. */
  private static final Pattern TOKEN = Pattern.compile("[^\\s'\"=(),;|&<>`]+");
  private static final Set<String> FILE_EXTENSIONS = Set.of("sh", "yaml", "yml", "json", "xml", "md", "txt", "tpl", "java");
  private static final Pattern MAVEN = Pattern.compile("\\./mvnw\\b[^\\n]*(?:\\n\\s+-[^\\n]*)*");
  private static final Pattern HELM_SET = Pattern.compile("--set\\s+['\"]?([\\w.\\[\\]-]+)=");
  private static final Pattern CREATE_NAMESPACE = Pattern.compile("kubectl create namespace ([a-z0-9-]+)");
  private static final Pattern NAMESPACE_VALUES =
      Pattern.compile("(?:worker\\.serviceAccount\\.namespaces|watchNamespaces)=\\{([^}]*)}");

  private static Map<String, Map<String, Object>> workflows;
  private static Set<String> topLevel;

  @BeforeAll
  static void readWorkflows() throws IOException {
    workflows = new TreeMap<>();
    try (Stream<Path> files = Files.list(WORKFLOWS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).toList()) {
        Object parsed = YAML.readValue(file.toFile(), Object.class);
        assertInstanceOf(Map.class, parsed, file + " is not a YAML mapping");
        @SuppressWarnings("unchecked")
        Map<String, Object> workflow = (Map<String, Object>) parsed;
        workflows.put(file.getFileName().toString(), workflow);
      }
    }
    topLevel = new TreeSet<>();
    try (Stream<Path> entries = Files.list(REPO)) {
      entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".git")).forEach(topLevel::add);
    }
  }

  @Test
  void theThreeWorkflowsExist() {
    assertTrue(workflows.keySet().containsAll(Set.of("ci.yml", "e2e.yml", "release.yml")), () -> "have " + workflows.keySet());
  }

  @Test
  void eachIsAWorkflowWithJobsOfSteps() {
    workflows.forEach((file, workflow) -> {
      assertTrue(workflow.get("name") instanceof String, file + ": name");
      assertTrue(workflow.get("on") != null, file + ": no trigger ('on')");
      Map<String, Map<String, Object>> jobs = jobs(workflow);
      assertFalse(jobs.isEmpty(), file + ": no jobs");
      jobs.forEach((id, job) -> {
        assertTrue(job.get("runs-on") instanceof String, file + " job " + id + ": runs-on");
        if (job.get("needs") != null) {
          Object needs = job.get("needs");
          for (Object need : needs instanceof List<?> list ? list : List.of(needs)) {
            assertTrue(jobs.containsKey(need), file + " job " + id + " needs unknown job " + need);
          }
        }
        List<Map<String, Object>> steps = steps(job);
        assertFalse(steps.isEmpty(), file + " job " + id + ": no steps");
        for (Map<String, Object> step : steps) {
          assertTrue(step.containsKey("run") ^ step.containsKey("uses"),
              file + " job " + id + ": a step needs exactly one of run and uses: " + step);
        }
      });
    });
  }

  @Test
  void actionsArePinnedAndLocalOnesExist() {
    forEachStep((where, step) -> {
      if (step.get("uses") instanceof String uses) {
        if (uses.startsWith("./")) {
          assertTrue(Files.exists(REPO.resolve(uses)), where + ": " + uses + " does not exist");
        } else {
          assertTrue(uses.matches("[\\w.-]+/[\\w./-]+@[\\w.-]+"), where + ": pin the action to a version: " + uses);
        }
      }
    });
  }

  @Test
  void ciRunsTheReadmesTestCommandThroughCiRun() throws IOException {
    List<String> runs = new ArrayList<>();
    for (Map<String, Object> job : jobs(workflows.get("ci.yml")).values()) {
      steps(job).stream().map(s -> s.get("run")).filter(String.class::isInstance).map(String.class::cast).forEach(runs::add);
    }
    assertTrue(runs.contains(".ci/run"), "ci.yml must run .ci/run: " + runs);
    Path ciRun = REPO.resolve(".ci/run");
    assertTrue(Files.isExecutable(ciRun), ".ci/run must be executable");
    String command = "./mvnw -B verify";
    assertTrue(Files.readAllLines(ciRun).stream().anyMatch(line -> line.strip().equals(command)),
        ".ci/run runs exactly the README's test command");
    assertTrue(Files.readString(REPO.resolve("README.md")).contains(command));
  }

  @Test
  void everyRepositoryPathTheWorkflowsNameExists() throws IOException {
    Set<String> missing = new TreeSet<>();
    Set<Path> scripts = new LinkedHashSet<>();
    for (String text : workflowTexts()) {
      for (String path : repositoryPaths(text, true)) {
        Path resolved = REPO.resolve(path).normalize();
        if (!Files.exists(resolved)) {
          missing.add(path);
        } else if (path.endsWith(".sh") || path.equals(".ci/run")) {
          scripts.add(resolved);
        }
      }
    }
    // The scripts the workflows run are held to their paths too (only those under this repository's folders).
    for (Path script : scripts) {
      assertTrue(Files.isExecutable(script), script + " is run by a workflow but not executable");
      for (String path : repositoryPaths(Files.readString(script), false)) {
        if (!Files.exists(REPO.resolve(path).normalize())) {
          missing.add(path + " (in " + REPO.relativize(script) + ")");
        }
      }
    }
    assertTrue(missing.isEmpty(), "named by the workflows but not in the repository: " + missing);
  }

  @Test
  void mavenModulesProfilesAndImagePropertiesExist() throws Exception {
    Set<String> profiles = new TreeSet<>();
    StringBuilder poms = new StringBuilder();
    for (Path pom : List.of(REPO.resolve("pom.xml"), REPO.resolve("operator/controller/pom.xml"), REPO.resolve("operator/worker/pom.xml"))) {
      poms.append(Files.readString(pom));
      NodeList ids = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getElementsByTagName("profile");
      for (int i = 0; i < ids.getLength(); i++) {
        profiles.add(((Element) ids.item(i)).getElementsByTagName("id").item(0).getTextContent().strip());
      }
    }
    int invocations = 0;
    for (String text : workflowTexts()) {
      Matcher maven = MAVEN.matcher(text);
      while (maven.find()) {
        invocations++;
        String command = maven.group();
        for (String module : options(command, "-pl")) {
          assertTrue(Files.exists(REPO.resolve(module).resolve("pom.xml")), "no module " + module + ": " + command);
        }
        for (String profile : options(command, "-P")) {
          assertTrue(profiles.contains(profile), "no Maven profile " + profile + " (have " + profiles + "): " + command);
        }
        Matcher property = Pattern.compile("-D(image\\.[\\w.]+)=").matcher(command);
        while (property.find()) {
          assertTrue(poms.indexOf("${" + property.group(1) + "}") >= 0,
              "no pom reads -D" + property.group(1) + ", so it would change nothing: " + command);
        }
      }
    }
    assertTrue(invocations >= 2, "expected e2e and release to build images with ./mvnw");
  }

  @Test
  void helmSetKeysAreChartValues() throws IOException {
    Map<?, ?> values = YAML.readValue(REPO.resolve("charts/foresight/values.yaml").toFile(), Map.class);
    int keys = 0;
    for (String text : workflowTexts()) {
      Matcher set = HELM_SET.matcher(text);
      while (set.find()) {
        keys++;
        Object node = values;
        for (String part : set.group(1).replaceAll("\\[\\d+]", "").split("\\.")) {
          assertTrue(node instanceof Map<?, ?> map && map.containsKey(part),
              "--set " + set.group(1) + ": the chart has no value " + part + " there");
          node = ((Map<?, ?>) node).get(part);
        }
      }
    }
    assertTrue(keys > 0, "the e2e workflow configures the chart with --set");
  }

  @Test
  void namespacesTheChartWritesIntoExistBeforeItIsInstalled() {
    // Helm makes the release namespace (--create-namespace) but no other: the worker service account
    // and the Roles of watched namespaces need theirs to exist already.
    int installs = 0;
    for (Map<String, Object> workflow : workflows.values()) {
      for (Map<String, Object> job : jobs(workflow).values()) {
        Set<String> created = new TreeSet<>();
        for (Map<String, Object> step : steps(job)) {
          if (!(step.get("run") instanceof String run)) {
            continue;
          }
          Matcher create = CREATE_NAMESPACE.matcher(run);
          while (create.find()) {
            created.add(create.group(1));
          }
          if (run.contains("helm install") || run.contains("helm upgrade")) {
            installs++;
            Matcher listed = NAMESPACE_VALUES.matcher(run);
            while (listed.find()) {
              for (String namespace : listed.group(1).split(",")) {
                assertTrue(created.contains(namespace.strip()), "helm writes into namespace " + namespace
                    + " (" + listed.group() + ") before any step creates it: " + run);
              }
            }
          }
        }
      }
    }
    assertTrue(installs > 0, "the e2e workflow installs the chart");
  }

  /** Relative paths into this repository named in a text; {@code byExtension} also takes file-like names elsewhere. */
  static Set<String> repositoryPaths(String text, boolean byExtension) {
    Set<String> paths = new TreeSet<>();
    Matcher token = TOKEN.matcher(text);
    while (token.find()) {
      String t = token.group();
      if (!t.contains("/") || t.startsWith("/") || t.startsWith("~") || t.startsWith("-")
          || t.contains("$") || t.contains("*") || t.contains("://") || t.contains("@") || t.contains("#")
          || t.contains("{") || t.contains(":")) {
        continue;
      }
      String path = t.startsWith("./") ? t.substring(2) : t;
      String first = path.split("/")[0];
      String last = path.substring(path.lastIndexOf('/') + 1);
      String extension = last.contains(".") ? last.substring(last.lastIndexOf('.') + 1) : "";
      if (t.startsWith("./") || topLevel.contains(first) || (byExtension && FILE_EXTENSIONS.contains(extension))) {
        paths.add(path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
      }
    }
    return paths;
  }

  private static List<String> options(String command, String option) {
    List<String> found = new ArrayList<>();
    Matcher m = Pattern.compile("(?<=\\s)" + Pattern.quote(option) + "\\s*([\\w./,-]+)").matcher(command);
    while (m.find()) {
      found.addAll(List.of(m.group(1).split(",")));
    }
    return found;
  }

  /** Every run script and every `with` value of every step. */
  private static List<String> workflowTexts() {
    List<String> texts = new ArrayList<>();
    forEachStep((where, step) -> {
      if (step.get("run") instanceof String run) {
        texts.add(run);
      }
      if (step.get("with") instanceof Map<?, ?> with) {
        with.values().stream().filter(String.class::isInstance).map(String.class::cast).forEach(texts::add);
      }
    });
    return texts;
  }

  private static void forEachStep(BiConsumer<String, Map<String, Object>> action) {
    workflows.forEach((file, workflow) -> jobs(workflow).forEach((id, job) -> {
      for (Map<String, Object> step : steps(job)) {
        action.accept(file + " job " + id, step);
      }
    }));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> jobs(Map<String, Object> workflow) {
    Object jobs = workflow.get("jobs");
    assertInstanceOf(Map.class, jobs, "jobs must be a mapping");
    return (Map<String, Map<String, Object>>) jobs;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> steps(Map<String, Object> job) {
    Object steps = job.get("steps");
    assertInstanceOf(List.class, steps, "steps must be a list");
    return (List<Map<String, Object>>) steps;
  }
}
