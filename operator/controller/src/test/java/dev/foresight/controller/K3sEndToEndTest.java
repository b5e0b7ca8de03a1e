package dev.foresight.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeMonitorSpec;
import dev.foresight.api.v1alpha1.ProbeSource;
import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.api.v1alpha1.StepRange;
import dev.foresight.api.v1alpha1.WorkerRuntime;
import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.config.OperatorConfig;
import dev.foresight.controller.rbac.PermissionCheck;
import dev.foresight.controller.status.Conditions;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.Scrape;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The operator against a real API server and kubelet (k3s in Docker; runs in GitHub Actions,
 * skipped where Docker is absent). No worker image can run there, so the test asserts what the
 * cluster really does with the operator's Job: the image pull fails, a GPU pod finds no node, and
 * the status follows each. Server-side apply stays on, as in production.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sEndToEndTest {
  static final Duration WAIT = Duration.ofMinutes(3);
  static final String NS = "foresight-e2e";
  /** A registry that does not exist: the kubelet's pull fails at once and for good. */
  static final String UNPULLABLE = "registry.invalid/foresight/worker:e2e";

  @org.testcontainers.junit.jupiter.Container
  static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.32.1-k3s1"));

  static KubernetesClient client;
  static ForesightOperator operator;

  @BeforeAll
  static void start() throws Exception {
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build();
    install(TestOperators.crd());
    install(TestOperators.crd(TestOperators.MONITOR_CRD));
    install(TestOperators.crd(TestOperators.TRAINING_CRD));
    client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    OperatorConfig config = TestOperators.config(ConfigKeys.WORKER_IMAGE, UNPULLABLE, ConfigKeys.DEFAULT_GPUS, "0",
        ConfigKeys.WATCH_NAMESPACES, NS);
    assertEquals(List.of(), PermissionCheck.missing(client, config, null), "the admin of k3s holds every permission");
    operator = new ForesightOperator(config,
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build(), o -> { });
    operator.start();
  }

  static void install(CustomResourceDefinition crd) {
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
        .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions().stream()
            .anyMatch(k -> "Established".equals(k.getType()) && "True".equals(k.getStatus())), 1, TimeUnit.MINUTES);
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void jobHasTheContractPodSpecAndAFailedPullFailsTheEvaluation() {
    ProbeEvaluation evaluation = Fixtures.evaluation(NS, "cpu-step-1000", 1000, "gsm8k");
    evaluation.getSpec().getCheckpoint().setUri("file:///demo/checkpoints/step-1000");
    evaluation.getSpec().getProbe().setUri("file:///demo/bundle");
    client.resource(evaluation).create();

    Job job = await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(NS).withLabel("foresight.dev/run", Fixtures.RUN)
        .list().getItems().stream().filter(j -> j.getMetadata().getName().startsWith("cpu-step-1000-")).findFirst().orElse(null),
        j -> j != null);
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container worker = pod.getContainers().get(0);
    assertEquals(UNPULLABLE, worker.getImage());
    assertEquals(List.of("evaluate", "--checkpoint", "file:///demo/checkpoints/step-1000", "--probe", "file:///demo/bundle",
        "--step", "1000", "--tasks", "gsm8k", "--report-file", "/dev/termination-log", "--device", "cpu"), worker.getArgs());
    assertTrue(worker.getSecurityContext().getReadOnlyRootFilesystem());
    assertEquals("FallbackToLogsOnError", worker.getTerminationMessagePolicy());
    assertEquals(false, pod.getAutomountServiceAccountToken());
    assertTrue(job.getMetadata().getOwnerReferences().get(0).getController());

    ProbeEvaluationStatus failed = await().atMost(WAIT).until(() -> status("cpu-step-1000"),
        s -> s != null && s.getPhase() == Phase.Failed);
    Condition reason = Conditions.find(failed.getConditions(), Conditions.FAILED).orElseThrow();
    assertEquals(Reason.ImagePullFailed.name(), reason.getReason());
    assertTrue(failed.getMessage().contains(UNPULLABLE), failed.getMessage());
    await().atMost(WAIT).until(() -> Boolean.TRUE.equals(
        client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).get().getSpec().getSuspend()));
  }

  @Test
  void aGpuPodThatNoNodeCanTakeIsReportedUnschedulable() {
    ProbeEvaluation evaluation = Fixtures.evaluation(NS, "gpu-step-2000", 2000);
    evaluation.getSpec().getCheckpoint().setUri("file:///demo/checkpoints/step-2000");
    evaluation.getSpec().getProbe().setUri("file:///demo/bundle");
    evaluation.getSpec().setRuntime(new WorkerRuntime());
    evaluation.getSpec().getRuntime().setGpus(1);
    client.resource(evaluation).create();
    ProbeEvaluationStatus status = await().atMost(WAIT).until(() -> status("gpu-step-2000"), s -> s != null
        && Conditions.find(s.getConditions(), Conditions.SCHEDULED).map(Condition::getReason)
            .filter(Reason.Unschedulable.name()::equals).isPresent());
    assertEquals(Phase.Pending, status.getPhase());
    assertTrue(status.getMessage().contains("nvidia.com/gpu"), status.getMessage());
  }

  @Test
  void theRealServerEnforcesTheSchemaAndImmutabilityAndTheOperatorItsOwnChecks() {
    ProbeEvaluation invalid = Fixtures.evaluation(NS, "s3-without-secret", 3000);
    invalid.getSpec().getCheckpoint().setUri("s3://bucket/ckpt");
    client.resource(invalid).create();
    ProbeEvaluationStatus rejected = await().atMost(WAIT).until(() -> status("s3-without-secret"),
        s -> s != null && s.getPhase() == Phase.Failed);
    assertTrue(rejected.getMessage().contains("spec.checkpoint.credentialsSecret"), rejected.getMessage());
    assertEquals(List.of(), client.batch().v1().jobs().inNamespace(NS).list().getItems().stream()
        .filter(j -> j.getMetadata().getName().startsWith("s3-without-secret")).toList());

    ProbeEvaluation badUri = Fixtures.evaluation(NS, "bad-uri", 1);
    badUri.getSpec().getCheckpoint().setUri("http://example.com/ckpt");
    assertThrows(KubernetesClientException.class, () -> client.resource(badUri).create());

    assertRejected("spec is immutable", () ->
        client.resources(ProbeEvaluation.class).inNamespace(NS).withName("s3-without-secret")
            .edit(e -> {
              e.getSpec().getCheckpoint().setStep(3001L);
              return e;
            }));
    assertEquals(200, Scrape.get(operator.httpPort(), "/readyz").statusCode());
  }

  /**
   * The ProbeMonitor's CEL rules, which only a real API server runs: the run and the prefix are
   * fixed, every and minStepGap exclude each other, a step range runs forwards; the rest of the spec
   * may change. The monitor is suspended, so that it never scans.
   */
  @Test
  void theRealServerEnforcesTheMonitorsCelRules() {
    ProbeMonitor monitor = monitor("cel-rules");
    client.resource(monitor).create();
    assertRejected("spec.run is immutable", () -> editMonitor("cel-rules", m -> m.getSpec().setRun("another-run")));
    assertRejected("spec.checkpoints.uri is immutable",
        () -> editMonitor("cel-rules", m -> m.getSpec().getCheckpoints().setUri("pvc://checkpoints/elsewhere")));
    editMonitor("cel-rules", m -> m.getSpec().getProbe().setUri("pvc://probes/v4"));
    assertEquals("pvc://probes/v4",
        client.resources(ProbeMonitor.class).inNamespace(NS).withName("cel-rules").get().getSpec().getProbe().getUri());

    ProbeMonitor both = monitor("every-and-gap");
    both.getSpec().setEvery(2);
    both.getSpec().setMinStepGap(1000L);
    assertRejected("set spec.every or spec.minStepGap, not both", () -> client.resource(both).create());
    ProbeMonitor backwards = monitor("backwards");
    backwards.getSpec().setSteps(new StepRange(2000L, 1000L));
    assertRejected("steps.from must not exceed steps.to", () -> client.resource(backwards).create());
  }

  static ProbeMonitor monitor(String name) {
    ProbeMonitorSpec spec = new ProbeMonitorSpec();
    spec.setRun(Fixtures.RUN);
    spec.setCheckpoints(new CheckpointPrefix("pvc://checkpoints/" + Fixtures.RUN));
    spec.setProbe(new ProbeSource("pvc://probes/v3"));
    spec.setSuspend(true);
    ProbeMonitor monitor = new ProbeMonitor();
    monitor.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    monitor.setSpec(spec);
    return monitor;
  }

  static void editMonitor(String name, Consumer<ProbeMonitor> change) {
    client.resources(ProbeMonitor.class).inNamespace(NS).withName(name).edit(m -> {
      change.accept(m);
      return m;
    });
  }

  static void assertRejected(String message, Executable request) {
    KubernetesClientException rejected = assertThrows(KubernetesClientException.class, request);
    assertTrue(rejected.getMessage().contains(message), rejected.getMessage());
  }

  static ProbeEvaluationStatus status(String name) {
    ProbeEvaluation e = client.resources(ProbeEvaluation.class).inNamespace(NS).withName(name).get();
    return e == null ? null : e.getStatus();
  }
}
