package dev.foresight.controller.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chart as real Helm renders it ({@code helm template}, through helm-java's bundled Helm), parsed
 * into Fabric8 objects: typed for Kubernetes kinds, {@link GenericKubernetesResource} for the
 * Prometheus Operator's.
 */
public final class RenderedChart {
  static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
  static final Path CHART = REPO.resolve("charts/foresight");
  static final String RELEASE = "foresight";
  public static final String NAMESPACE = "foresight-system";
  /** The chart asks for Kubernetes 1.27 or newer; Helm's offline default (1.20) would be refused. */
  static final String KUBE_VERSION = "1.32.0";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  final String yaml;
  public final List<HasMetadata> objects;

  private RenderedChart(String yaml, List<HasMetadata> objects) {
    this.yaml = yaml;
    this.objects = objects;
  }

  /** Renders with the chart's defaults. */
  static RenderedChart render() {
    return render(Map.of());
  }

  /** Renders with {@code --set key=value} for each entry (keys as Helm spells them, e.g. {@code watchNamespaces[0]}). */
  public static RenderedChart render(Map<String, Object> values) {
    TemplateCommand template = template();
    for (Map.Entry<String, Object> value : values.entrySet()) {
      template = template.set(value.getKey(), value.getValue());
    }
    return parse(template.call());
  }

  /** Renders with {@code -f valuesFile}: numbers in YAML reach the templates as numbers, as with --set. */
  static RenderedChart render(Path valuesFile) {
    return parse(template().withValuesFile(valuesFile).call());
  }

  private static TemplateCommand template() {
    return new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
  }

  private static RenderedChart parse(String yaml) {
    Object parsed = SERIALIZATION.unmarshal(yaml);
    List<HasMetadata> objects = parsed instanceof List<?> list
        ? list.stream().map(HasMetadata.class::cast).toList()
        : List.of((HasMetadata) parsed);
    return new RenderedChart(yaml, objects);
  }

  public static Map<String, Object> values(Object... keysAndValues) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return values;
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = all(type);
    assertEquals(1, found.size(), () -> "expected one " + type.getSimpleName() + ", found " + names(found));
    return found.get(0);
  }

  List<GenericKubernetesResource> allOfKind(String kind) {
    return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
  }

  GenericKubernetesResource oneOfKind(String kind) {
    List<GenericKubernetesResource> found = allOfKind(kind);
    assertEquals(1, found.size(), () -> "expected one " + kind + ", found " + names(found));
    return found.get(0);
  }

  public Deployment deployment() {
    return one(Deployment.class);
  }

  /** The operator's one container. */
  Container operator() {
    List<Container> containers = deployment().getSpec().getTemplate().getSpec().getContainers();
    assertEquals(1, containers.size());
    return containers.get(0);
  }

  /** The operator's plain variables, name to value (downward-API ones map to null). */
  public Map<String, String> operatorEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : operator().getEnv()) {
      assertTrue(!env.containsKey(var.getName()), () -> var.getName() + " is set twice");
      env.put(var.getName(), var.getValue());
    }
    return env;
  }

  boolean contains(String kind) {
    return objects.stream().anyMatch(o -> kind.equals(o.getKind()));
  }

  void assertNo(String kind) {
    assertTrue(!contains(kind), () -> kind + " rendered though not asked for: " + names(objects));
  }

  static String names(List<? extends HasMetadata> objects) {
    return objects.stream()
        .map(o -> o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
        .toList().toString();
  }
}
