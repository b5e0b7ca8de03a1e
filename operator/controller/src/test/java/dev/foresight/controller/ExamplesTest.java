package dev.foresight.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.foresight.api.v1alpha1.LabelSource;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeMonitorSpec;
import dev.foresight.api.v1alpha1.ProbeTraining;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.controller.support.CrdSchema;
import dev.foresight.controller.support.TestOperators;
import dev.foresight.controller.validate.KubernetesSyntax;
import dev.foresight.controller.validate.SpecValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every ProbeEvaluation, ProbeMonitor and ProbeTraining under examples/ (any depth, any file with
 * several documents) passes its CRD's schema and parses into the model; a ProbeEvaluation also passes the
 * reconciler's own validation: what users copy works. Other documents (Secrets, alert rules) are
 * skipped.
 */
class ExamplesTest {
  static final Path EXAMPLES = TestOperators.REPO.resolve("examples");
  static final CrdSchema SCHEMA = new CrdSchema(TestOperators.crd());
  static final CrdSchema MONITOR_SCHEMA = new CrdSchema(TestOperators.crd(TestOperators.MONITOR_CRD));
  static final CrdSchema TRAINING_SCHEMA = new CrdSchema(TestOperators.crd(TestOperators.TRAINING_CRD));
  static final SpecValidator VALIDATOR = new SpecValidator(TestOperators.config());

  record Example(Path file, int index, JsonNode manifest) {
    @Override
    public String toString() {
      return TestOperators.REPO.relativize(file) + "#" + index;
    }
  }

  static List<Example> probeEvaluations() throws IOException {
    return ofKind("ProbeEvaluation");
  }

  /** The documents of a foresight.dev kind. */
  static List<Example> ofKind(String kind) throws IOException {
    return documents().stream().filter(e -> kind.equals(e.manifest().path("kind").asText())
        && e.manifest().path("apiVersion").asText().startsWith(ProbeEvaluation.GROUP + "/")).toList();
  }

  /** Every YAML document under examples/, of any kind. */
  static List<Example> documents() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(EXAMPLES)) {
      files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
    List<Example> examples = new ArrayList<>();
    YAMLMapper yaml = new YAMLMapper();
    for (Path file : files) {
      try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
        int index = 0;
        while (docs.hasNext()) {
          JsonNode doc = docs.next();
          if (doc != null) {
            examples.add(new Example(file, index, doc));
          }
          index++;
        }
      }
    }
    return examples;
  }

  @Test
  void everyExampleProbeEvaluationIsValid() throws IOException {
    List<Example> examples = probeEvaluations();
    List<String> files = examples.stream().map(e -> e.file().getFileName().toString()).distinct().toList();
    assertTrue(files.containsAll(List.of("probeevaluation-pvc.yaml", "probeevaluation-s3.yaml",
        "probeevaluation-validation.yaml", "probeevaluation-kueue.yaml")), files.toString());
    for (Example example : examples) {
      assertEquals("foresight.dev/v1alpha1", example.manifest().path("apiVersion").asText(), example.toString());
      String name = example.manifest().path("metadata").path("name").asText();
      assertTrue(KubernetesSyntax.isDnsSubdomain(name), example + ": metadata.name '" + name + "'");
      assertEquals(List.of(), SCHEMA.violations(example.manifest()), example + " against the CRD schema");
      ProbeEvaluation parsed = Serialization.unmarshal(example.manifest().toString(), ProbeEvaluation.class);
      assertEquals(List.of(), VALIDATOR.validate(parsed.getSpec()), example + " against the reconciler's validation");
    }
  }

  @Test
  void everyExampleProbeMonitorIsValid() throws IOException {
    List<Example> examples = ofKind("ProbeMonitor");
    List<String> files = examples.stream().map(e -> e.file().getFileName().toString()).distinct().toList();
    assertTrue(files.containsAll(List.of("probemonitor-pvc.yaml", "probemonitor-s3.yaml", "demo-monitor.yaml",
        "demo-monitor-trained.yaml")),
        files.toString());
    for (Example example : examples) {
      assertEquals("foresight.dev/v1alpha1", example.manifest().path("apiVersion").asText(), example.toString());
      String name = example.manifest().path("metadata").path("name").asText();
      assertTrue(KubernetesSyntax.isDnsSubdomain(name), example + ": metadata.name '" + name + "'");
      assertEquals(List.of(), MONITOR_SCHEMA.violations(example.manifest()), example + " against the CRD schema");
      ProbeMonitorSpec spec = Serialization.unmarshal(example.manifest().toString(), ProbeMonitor.class).getSpec();
      // Checks the CRD makes in CEL, which CrdSchema leaves to the API server, and the Secret an
      // s3:// scan needs, as a ProbeEvaluation's checkpoint does.
      assertTrue(spec.getEvery() == null || spec.getMinStepGap() == null, example + ": every and minStepGap");
      assertTrue(spec.getSteps() == null || spec.getSteps().getFrom() == null || spec.getSteps().getTo() == null
          || spec.getSteps().getFrom() <= spec.getSteps().getTo(), example + ": steps.from after steps.to");
      assertTrue(!spec.getCheckpoints().getUri().startsWith("s3://") || spec.getCheckpoints().getCredentialsSecret() != null,
          example + ": an s3:// prefix needs checkpoints.credentialsSecret");
    }
  }

  @Test
  void everyExampleProbeTrainingIsValid() throws IOException {
    List<Example> examples = ofKind("ProbeTraining");
    List<String> files = examples.stream().map(e -> e.file().getFileName().toString()).distinct().toList();
    assertTrue(files.containsAll(List.of("probetraining-generate.yaml", "probetraining-lmeval.yaml",
        "probetraining-validation.yaml")), files.toString());
    for (Example example : examples) {
      String name = example.manifest().path("metadata").path("name").asText();
      assertTrue(KubernetesSyntax.isDnsSubdomain(name), example + ": metadata.name '" + name + "'");
      assertEquals(List.of(), TRAINING_SCHEMA.violations(example.manifest()), example + " against the CRD schema");
      ProbeTrainingSpec spec = Serialization.unmarshal(example.manifest().toString(), ProbeTraining.class).getSpec();
      // The CRD's CEL rules, which CrdSchema leaves to the API server.
      assertTrue((spec.getCheckpoints().getList() == null) != (spec.getCheckpoints().getMonitor() == null),
          example + ": exactly one of checkpoints.list and checkpoints.monitor");
      assertTrue(spec.getLabels().exactlyOne(), example + ": " + LabelSource.EXACTLY_ONE);
      assertTrue(spec.getLabels().getMonitorValidation() == null || spec.getCheckpoints().getMonitor() != null,
          example + ": " + ProbeTrainingSpec.VALIDATION_NEEDS_MONITOR);
    }
  }

  /** A monitor or evaluation that names a training in an example names one the examples define, in its namespace. */
  @Test
  void everyTrainingRefNamesAnExampleTraining() throws IOException {
    List<String> trainings = ofKind("ProbeTraining").stream().map(ExamplesTest::namespacedName).toList();
    List<Example> referring = new ArrayList<>(ofKind("ProbeMonitor"));
    referring.addAll(probeEvaluations());
    int refs = 0;
    for (Example example : referring) {
      String ref = example.manifest().path("spec").path("probe").path("trainingRef").asText();
      if (!ref.isEmpty()) {
        refs++;
        String namespace = example.manifest().path("metadata").path("namespace").asText("default");
        assertTrue(trainings.contains(namespace + "/" + ref), example + ": probe.trainingRef " + ref + " is not among " + trainings);
      }
    }
    assertTrue(refs > 0, "no example uses probe.trainingRef");
  }

  private static String namespacedName(Example example) {
    JsonNode meta = example.manifest().path("metadata");
    return meta.path("namespace").asText("default") + "/" + meta.path("name").asText();
  }

  /** The monitors' examples name the Secret they use in the same file, with the keys a scan pod reads. */
  @Test
  void everyMonitorsSecretIsInItsFile() throws IOException {
    for (Example monitor : ofKind("ProbeMonitor")) {
      String secret = monitor.manifest().path("spec").path("checkpoints").path("credentialsSecret").asText();
      if (secret.isEmpty()) {
        continue;
      }
      JsonNode defined = documents().stream().filter(d -> d.file().equals(monitor.file()))
          .map(Example::manifest).filter(d -> "Secret".equals(d.path("kind").asText())
              && secret.equals(d.path("metadata").path("name").asText())).findFirst().orElse(null);
      assertTrue(defined != null, monitor + " uses Secret " + secret + ", which its file does not define");
      assertEquals(monitor.manifest().path("metadata").path("namespace"), defined.path("metadata").path("namespace"));
      assertTrue(defined.path("stringData").has("AWS_ACCESS_KEY_ID") && defined.path("stringData").has("AWS_SECRET_ACCESS_KEY"),
          monitor + ": Secret " + secret + " keys");
    }
  }

  @Test
  void theMonitorSchemaCheckCatchesWhatTheApiServerWould() throws IOException {
    JsonNode bad = new YAMLMapper().readTree("""
        apiVersion: foresight.dev/v1alpha1
        kind: ProbeMonitor
        metadata: {name: bad}
        spec:
          checkpoints: {uri: "http://example.com/ckpts", ready: {settleSeconds: -1}}
          probe: {uri: pvc://probes/v3}
          pollSeconds: 5
          order: Random
          validation: {samples: 4}
          historyLimit: 0
        """);
    List<String> violations = MONITOR_SCHEMA.violations(bad);
    for (String expected : List.of("spec.run: is required", "spec.checkpoints.uri: 'http://example.com/ckpts' does not match",
        "spec.checkpoints.ready.settleSeconds: -1 is below the minimum", "spec.pollSeconds: 5 is below the minimum",
        "spec.order: 'Random' is not one of", "spec.validation.every: is required", "spec.historyLimit: 0 is below the minimum")) {
      assertTrue(violations.stream().anyMatch(v -> v.startsWith(expected)), "expected '" + expected + "' in " + violations);
    }
  }

  /**
   * {@code kubectl apply -f examples/} applies every file: two resources of one kind, namespace and
   * name would make the second file silently replace the first (or fail on an immutable spec).
   */
  @Test
  void noTwoExampleResourcesShareKindNamespaceAndName() throws IOException {
    Map<String, Example> seen = new HashMap<>();
    for (Example example : documents()) {
      JsonNode meta = example.manifest().path("metadata");
      if (meta.path("name").asText().isEmpty()) {
        continue; // not a Kubernetes object (e.g. a plain Prometheus rule file)
      }
      String key = example.manifest().path("kind").asText() + " " + meta.path("namespace").asText("default") + "/"
          + meta.path("name").asText();
      Example before = seen.putIfAbsent(key, example);
      assertNull(before, key + " is defined by both " + before + " and " + example);
    }
  }

  @Test
  void theSchemaCheckCatchesWhatTheApiServerWould() throws IOException {
    JsonNode bad = new YAMLMapper().readTree("""
        apiVersion: foresight.dev/v1alpha1
        kind: ProbeEvaluation
        metadata: {name: bad}
        spec:
          checkpoint: {uri: "http://example.com/ckpt", step: -1}
          probe: {uri: pvc://probes/v3}
          task: [gsm8k]
          runtime: {gpus: 1.5, batchSize: 0}
          activeDeadlineSeconds: 0
        """);
    List<String> violations = SCHEMA.violations(bad);
    for (String expected : List.of("spec.checkpoint.run: is required", "spec.checkpoint.uri: 'http://example.com/ckpt' does not match",
        "spec.checkpoint.step: -1 is below the minimum", "spec.task: unknown field", "spec.runtime.gpus: must be integer",
        "spec.runtime.batchSize: 0 is below the minimum", "spec.activeDeadlineSeconds: 0 is below the minimum")) {
      assertTrue(violations.stream().anyMatch(v -> v.startsWith(expected)), "expected '" + expected + "' in " + violations);
    }
  }
}
