package dev.foresight.api.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules a real API server enforces, read off the generated CRD itself (the mock server enforces none). */
class CrdSchemaTest {
  static CustomResourceDefinitionVersion version;
  static JSONSchemaProps spec;

  @BeforeAll
  static void load() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(
        Files.readString(CrdFilesTest.GENERATED.resolve("probeevaluations.foresight.dev-v1.yml")),
        CustomResourceDefinition.class);
    assertEquals(List.of("pe"), crd.getSpec().getNames().getShortNames());
    version = crd.getSpec().getVersions().get(0);
    spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  @Test
  void printerColumnsAreInTheDeclaredOrder() {
    assertEquals(List.of("Phase", "Run", "Step", "Pass@1", "Latency", "Age"),
        version.getAdditionalPrinterColumns().stream().map(CustomResourceColumnDefinition::getName).toList());
  }

  @Test
  void specIsImmutableAndStatusIsASubresource() {
    assertEquals("self == oldSelf", spec.getXKubernetesValidations().get(0).getRule());
    assertTrue(version.getSubresources().getStatus() != null);
  }

  @Test
  void requiredFields() {
    assertEquals(List.of("checkpoint", "probe"), spec.getRequired());
    assertEquals(List.of("run", "step", "uri"), spec.getProperties().get("checkpoint").getRequired());
    // A bundle URI or a ProbeTraining's name, exactly one: a CEL rule, since neither field is required alone.
    JSONSchemaProps probe = spec.getProperties().get("probe");
    assertEquals(List.of(), probe.getRequired());
    assertEquals("has(self.uri) != has(self.trainingRef)", probe.getXKubernetesValidations().get(0).getRule());
  }

  @Test
  void ranges() {
    JSONSchemaProps runtime = spec.getProperties().get("runtime");
    assertEquals(0.0, runtime.getProperties().get("gpus").getMinimum());
    assertEquals(1.0, runtime.getProperties().get("batchSize").getMinimum());
    JSONSchemaProps validation = spec.getProperties().get("validation");
    assertEquals(1.0, validation.getProperties().get("samples").getMinimum());
    assertEquals(0.0, validation.getProperties().get("temperature").getMinimum());
    JSONSchemaProps deadline = spec.getProperties().get("activeDeadlineSeconds");
    assertEquals(0.0, deadline.getMinimum());
    assertTrue(deadline.getExclusiveMinimum(), "deadline must be > 0, not >= 0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"pvc://checkpoints/olmo3-7b/step120000", "pvc://claim", "s3://my-bucket/run/step-1000",
      "file:///data/ckpt"})
  void uriPatternAccepts(String uri) {
    assertTrue(uriPattern().matcher(uri).find(), uri);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://example.com/ckpt", "/data/ckpt", "pvc://Bad_Claim/x", "file://relative",
      "s3://", "gs://bucket/x"})
  void uriPatternRejects(String uri) {
    assertFalse(uriPattern().matcher(uri).find(), uri);
  }

  private static Pattern uriPattern() {
    return Pattern.compile(spec.getProperties().get("checkpoint").getProperties().get("uri").getPattern());
  }
}
