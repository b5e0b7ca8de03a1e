package dev.foresight.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.api.v1alpha1.TaskResult;
import dev.foresight.controller.metrics.MetricNames;
import dev.foresight.controller.status.Conditions;
import dev.foresight.controller.support.ClusterSimulator;
import dev.foresight.controller.support.EvaluationStatuses;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.Scrape;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real JOSDK operator against Fabric8's mock API server; the test plays kubelet and Job
 * controller. One operator serves every test, each in its own namespace.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ProbeEvaluationOperatorTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static KubernetesMockServer server;
  static KubernetesClient client;
  static ForesightOperator operator;
  static ClusterSimulator cluster;

  @BeforeAll
  static void start() {
    TestOperators.installCrd(client);
    operator = TestOperators.start(server, TestOperators.config());
    cluster = new ClusterSimulator(client);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void happyPath() {
    String ns = "happy";
    Job job = submit(Fixtures.evaluation(ns, "step-1000", 1000, "gsm8k", "mbpp"));
    assertEquals(List.of("evaluate", "--checkpoint", "pvc://checkpoints/olmo3-7b/step1000", "--probe",
            "pvc://probes/olmo3-7b/v3", "--step", "1000", "--tasks", "gsm8k,mbpp", "--report-file", "/dev/termination-log",
            "--device", "cuda"),
        job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs());
    assertEquals(Phase.Pending, awaitPhase(ns, "step-1000", Phase.Pending).getPhase());

    Pod pod = cluster.running(cluster.createPod(job));
    ProbeEvaluationStatus running = awaitPhase(ns, "step-1000", Phase.Running);
    assertNotNull(running.getStartTime());
    assertEquals("True", condition(running, Conditions.SCHEDULED).getStatus());
    assertTrue(running.getMessage().contains(pod.getMetadata().getName()), running.getMessage());

    cluster.terminated(pod, 0, Fixtures.terminationMessage(List.of("gsm8k", "mbpp"), List.of(0.412, 0.377)), null);
    cluster.complete(job);
    ProbeEvaluationStatus done = awaitPhase(ns, "step-1000", Phase.Succeeded);
    assertEquals(List.of("gsm8k", "mbpp"), done.getResults().stream().map(TaskResult::getTask).toList());
    assertEquals(0.412, done.getResults().get(0).getPredictedPassAt1());
    assertEquals(List.of(0.392, 0.432), done.getResults().get(0).getCi95());
    assertEquals("Olmo3ForCausalLM", done.getCheckpoint().getArchitecture());
    assertEquals(26.0, done.getLatency().getForwardSeconds());
    assertNotNull(done.getLatency().getQueuedSeconds(), "queued time is measured by the controller");
    assertNotNull(done.getLatency().getTotalSeconds(), "total time is measured by the controller");
    assertNotNull(done.getCompletionTime());
    assertEquals(Reason.Succeeded.name(), condition(done, Conditions.COMPLETE).getReason());
    assertEquals("True", condition(done, Conditions.ACCEPTED).getStatus());
    assertTrue(done.getMessage().contains("gsm8k 0.412"), done.getMessage());
    await().atMost(WAIT).untilAsserted(() ->
        assertEquals(List.of("JobCreated", "Started", "Succeeded"), eventReasons(ns, "step-1000")));
    assertEquals(1, cluster.jobs(ns).size());
  }

  @Test
  void workerFailureCarriesTheReasonOfItsExitCodeAndItsOwnMessage() {
    String ns = "worker-failure";
    Job job = submit(Fixtures.evaluation(ns, "step-2000", 2000, "gsm8k"));
    Pod pod = cluster.running(cluster.createPod(job));
    String says = "probe bundle expects hidden size 4096, checkpoint has 2048 (config.json hidden_size)";
    cluster.terminated(pod, 4, says, null);
    cluster.fail(job, "PodFailurePolicy", "Container worker for pod " + pod.getMetadata().getName()
        + " failed with exit code 4 matching FailJob rule at index 0");
    ProbeEvaluationStatus failed = awaitFailure(ns, "step-2000", Reason.ProbeIncompatible);
    assertEquals(says, failed.getMessage());
    await().atMost(WAIT).untilAsserted(() -> assertTrue(eventReasons(ns, "step-2000").contains("ProbeIncompatible")));
  }

  @Test
  void oomKilledWorker() {
    String ns = "oom";
    Job job = submit(Fixtures.evaluation(ns, "step-2500", 2500));
    Pod pod = cluster.running(cluster.createPod(job));
    cluster.terminated(pod, 137, null, "OOMKilled");
    cluster.fail(job, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
    ProbeEvaluationStatus failed = awaitFailure(ns, "step-2500", Reason.OOMKilled);
    assertTrue(failed.getMessage().contains("memory"), failed.getMessage());
  }

  @Test
  void malformedReportFailsTheEvaluationSayingWhyAndTheOperatorGoesOn() {
    String ns = "malformed";
    Job job = submit(Fixtures.evaluation(ns, "step-3000", 3000, "gsm8k"));
    Pod pod = cluster.running(cluster.createPod(job));
    cluster.terminated(pod, 0, "{\"v\":1,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":1.7,\"prompts\":500}]}", null);
    cluster.complete(job);
    ProbeEvaluationStatus failed = awaitFailure(ns, "step-3000", Reason.WorkerFailed);
    assertTrue(failed.getMessage().contains("results[0].predictedPassAt1 = 1.7 is outside [0.0, 1.0]"), failed.getMessage());

    client.resource(Fixtures.evaluation(ns, "step-3001", 3001, "gsm8k")).create();
    Job next = await().atMost(WAIT).until(() -> cluster.jobs(ns).stream()
        .filter(j -> !j.getMetadata().getName().equals(job.getMetadata().getName())).findFirst().orElse(null),
        j -> j != null);
    cluster.succeed(next, Fixtures.terminationMessage(List.of("gsm8k"), List.of(0.5)));
    awaitPhase(ns, "step-3001", Phase.Succeeded);
  }

  @Test
  void reportWithoutARequestedTaskIsRejected() {
    String ns = "missing-task";
    Job job = submit(Fixtures.evaluation(ns, "step-3500", 3500, "gsm8k", "mbpp"));
    cluster.succeed(job, Fixtures.terminationMessage(List.of("gsm8k"), List.of(0.4)));
    ProbeEvaluationStatus failed = awaitFailure(ns, "step-3500", Reason.WorkerFailed);
    assertTrue(failed.getMessage().contains("lacks results for [mbpp]"), failed.getMessage());
  }

  @Test
  void unschedulablePodIsReportedInsteadOfRunningThenFailsAtTheDeadline() {
    String ns = "unschedulable";
    Job job = submit(Fixtures.evaluation(ns, "step-4000", 4000));
    String scheduler = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available";
    cluster.unschedulable(cluster.createPod(job), scheduler);
    await().atMost(WAIT).untilAsserted(() -> {
      ProbeEvaluationStatus status = status(ns, "step-4000");
      Condition scheduled = condition(status, Conditions.SCHEDULED);
      assertEquals("False", scheduled.getStatus());
      assertEquals(Reason.Unschedulable.name(), scheduled.getReason());
      assertEquals(scheduler, scheduled.getMessage());
      assertEquals(Phase.Pending, status.getPhase());
    });
    await().atMost(WAIT).untilAsserted(() -> assertTrue(eventReasons(ns, "step-4000").contains("Unschedulable")));

    // It waits (a cluster may add a node) until the deadline, which then says what was wrong: the
    // pod never got a node, in the scheduler's words, not that the worker ran too long or never had
    // a pod (the Job controller deletes the pod before it marks the Job).
    cluster.deadlineExceeded(job);
    ProbeEvaluationStatus failed = awaitFailure(ns, "step-4000", Reason.Unschedulable);
    assertEquals("the worker pod never got a node within activeDeadlineSeconds=3600: " + scheduler, failed.getMessage());
  }

  @Test
  void aMissingSecretFailsAtOnceAndFreesTheNode() {
    String ns = "missing-secret";
    Job job = submit(Fixtures.evaluation(ns, "step-4500", 4500));
    Pod pod = cluster.createContainerConfigError(cluster.createPod(job), "secret \"s3-creds\" not found");
    ProbeEvaluationStatus failed = awaitFailure(ns, "step-4500", Reason.ConfigError);
    assertEquals("cannot create the worker container of pod " + pod.getMetadata().getName()
        + " (CreateContainerConfigError): secret \"s3-creds\" not found", failed.getMessage());
    await().atMost(WAIT).until(() -> Boolean.TRUE.equals(cluster.job(ns, job.getMetadata().getName()).getSpec().getSuspend()));
  }

  @Test
  void aPodTheClusterRefusesForGoodFailsFromTheJobsEvents() {
    String ns = "no-priority-class";
    Job job = submit(Fixtures.evaluation(ns, "step-4600", 4600));
    awaitPhase(ns, "step-4600", Phase.Pending);
    String refusal = "Error creating: pods \"" + job.getMetadata().getName()
        + "-\" is forbidden: no PriorityClass with name gpu-high was found";
    cluster.failedCreate(server, job, refusal);
    ProbeEvaluationStatus failed = awaitFailure(ns, "step-4600", Reason.PodCreationFailed);
    assertEquals("the cluster refuses to create the worker pod: " + refusal, failed.getMessage());
    await().atMost(WAIT).until(() -> Boolean.TRUE.equals(cluster.job(ns, job.getMetadata().getName()).getSpec().getSuspend()));
  }

  @Test
  void anExhaustedQuotaIsWaitedForAndNamedAtTheDeadline() {
    String ns = "quota";
    Job job = submit(Fixtures.evaluation(ns, "step-4700", 4700));
    String refusal = "Error creating: pods \"" + job.getMetadata().getName() + "-\" is forbidden: exceeded quota: gpus,"
        + " requested: requests.nvidia.com/gpu=1, used: requests.nvidia.com/gpu=8, limited: requests.nvidia.com/gpu=8";
    cluster.failedCreate(server, job, refusal);
    await().atMost(WAIT).untilAsserted(() -> {
      ProbeEvaluationStatus status = status(ns, "step-4700");
      assertEquals(Phase.Pending, status.getPhase());
      assertEquals("the Job cannot create the worker pod yet: " + refusal, condition(status, Conditions.SCHEDULED).getMessage());
    });
    assertEquals(null, cluster.job(ns, job.getMetadata().getName()).getSpec().getSuspend());
    cluster.fail(job, "DeadlineExceeded", "Job was active longer than specified deadline");
    ProbeEvaluationStatus failed = awaitFailure(ns, "step-4700", Reason.PodCreationFailed);
    assertEquals("the Job could not create the worker pod within activeDeadlineSeconds=3600: " + refusal,
        failed.getMessage());
  }

  @Test
  void deadlineExceeded() {
    String ns = "deadline";
    Job job = submit(Fixtures.evaluation(ns, "step-5000", 5000));
    cluster.running(cluster.createPod(job));
    awaitPhase(ns, "step-5000", Phase.Running);
    cluster.fail(job, "DeadlineExceeded", "Job was active longer than specified deadline");
    ProbeEvaluationStatus failed = awaitFailure(ns, "step-5000", Reason.DeadlineExceeded);
    assertTrue(failed.getMessage().contains("activeDeadlineSeconds=3600"), failed.getMessage());
  }

  @Test
  void imagePullFailureFailsTheEvaluationAndSuspendsTheJob() {
    String ns = "image-pull";
    Job job = submit(Fixtures.evaluation(ns, "step-5500", 5500));
    cluster.imagePullBackOff(cluster.createPod(job), "Back-off pulling image \"registry.example/foresight-worker:test\"");
    ProbeEvaluationStatus failed = awaitFailure(ns, "step-5500", Reason.ImagePullFailed);
    assertTrue(failed.getMessage().contains("Back-off pulling image"), failed.getMessage());
    await().atMost(WAIT).until(() -> Boolean.TRUE.equals(cluster.job(ns, job.getMetadata().getName()).getSpec().getSuspend()));
  }

  @Test
  void invalidSpecIsRejectedWithoutAJob() {
    String ns = "invalid";
    ProbeEvaluation evaluation = Fixtures.evaluation(ns, "step-6000", 6000, "gsm8k", "gsm8k");
    evaluation.getSpec().getCheckpoint().setUri("s3://checkpoints/olmo3-7b/step6000");
    client.resource(evaluation).create();
    ProbeEvaluationStatus failed = awaitPhase(ns, "step-6000", Phase.Failed);
    Condition accepted = condition(failed, Conditions.ACCEPTED);
    assertEquals("False", accepted.getStatus());
    assertEquals(Reason.InvalidSpec.name(), accepted.getReason());
    assertTrue(accepted.getMessage().contains("spec.checkpoint.credentialsSecret: is required"), accepted.getMessage());
    assertTrue(accepted.getMessage().contains("spec.tasks[1]: 'gsm8k' is listed twice"), accepted.getMessage());
    assertEquals(Reason.InvalidSpec.name(), condition(failed, Conditions.FAILED).getReason());
    assertEquals(List.of(), cluster.jobs(ns));
    await().atMost(WAIT).untilAsserted(() -> assertEquals(List.of("InvalidSpec"), eventReasons(ns, "step-6000")));
  }

  @Test
  void aJobTheApiServerRejectsIsAnInvalidSpecWithTheServersWords() {
    String ns = "rejected";
    String says = "Job.batch \"x\" is invalid: spec.template.spec.tolerations[0].operator: Invalid value: \"Exist\"";
    server.expect().post().withPath("/apis/batch/v1/namespaces/" + ns + "/jobs")
        .andReturn(422, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(422).withReason("Invalid")
            .withMessage(says).build())
        .once();
    client.resource(Fixtures.evaluation(ns, "step-7000", 7000)).create();
    ProbeEvaluationStatus failed = awaitFailure(ns, "step-7000", Reason.InvalidSpec);
    assertTrue(failed.getMessage().contains(says), failed.getMessage());
    assertEquals(List.of(), cluster.jobs(ns));
  }

  @Test
  void metricsArePerRunAndTaskNeverPerResourceAndTheNewestStepWins() {
    String ns = "metrics";
    client.resource(Fixtures.evaluation(ns, "olmo-step-8000", 8000, "gsm8k", "mbpp")).create();
    cluster.succeed(awaitJob(ns), Fixtures.terminationMessage(List.of("gsm8k", "mbpp"), List.of(0.61, 0.33)));
    awaitPhase(ns, "olmo-step-8000", Phase.Succeeded);
    // An older checkpoint finishing later must not take the gauge back in time.
    client.resource(Fixtures.evaluation(ns, "olmo-step-7000", 7000, "gsm8k")).create();
    Job older = await().atMost(WAIT).until(() -> cluster.jobs(ns), jobs -> jobs.size() == 2).stream()
        .filter(j -> j.getMetadata().getName().startsWith("olmo-step-7000")).findFirst().orElseThrow();
    cluster.succeed(older, Fixtures.terminationMessage(List.of("gsm8k"), List.of(0.55)));
    awaitPhase(ns, "olmo-step-7000", Phase.Succeeded);

    int port = operator.httpPort();
    List<String> predicted = Scrape.samples(port, MetricNames.PREDICTED_PASS_AT_1).stream()
        .filter(l -> l.contains("namespace=\"metrics\"")).sorted().toList();
    assertEquals(List.of(
        "foresight_predicted_pass_at_1{namespace=\"metrics\",run=\"olmo3-7b\",task=\"gsm8k\"} 0.61",
        "foresight_predicted_pass_at_1{namespace=\"metrics\",run=\"olmo3-7b\",task=\"mbpp\"} 0.33"), predicted);
    assertEquals(List.of("foresight_checkpoint_step{namespace=\"metrics\",run=\"olmo3-7b\"} 8000.0"),
        Scrape.samples(port, MetricNames.CHECKPOINT_STEP).stream().filter(l -> l.contains("\"metrics\"")).toList());
    assertEquals(List.of("foresight_evaluations_total{namespace=\"metrics\",result=\"Succeeded\"} 2.0"),
        Scrape.samples(port, MetricNames.EVALUATIONS_TOTAL).stream().filter(l -> l.contains("\"metrics\"")).toList());
    assertTrue(Scrape.samples(port, MetricNames.EVALUATION_DURATION_SECONDS + "_count").stream()
        .anyMatch(l -> l.startsWith("foresight_evaluation_duration_seconds_count{stage=\"forward\"}")));
    assertTrue(Scrape.samples(port, MetricNames.RECONCILIATIONS_TOTAL).stream()
        .anyMatch(l -> l.startsWith("foresight_reconciliations_total{resource=\"ProbeEvaluation\",result=\"success\"}")));

    // No series names a resource: every label value is a namespace, run, task, stage, reason or kind.
    String body = Scrape.get(port, "/metrics").body();
    List<String> foresight = body.lines().filter(l -> l.startsWith("foresight_")).toList();
    assertTrue(foresight.size() > 10, body);
    for (String line : foresight) {
      assertTrue(!line.contains("olmo-step-") && !line.contains("name="), "per-resource label in: " + line);
    }
    assertEquals(200, Scrape.get(port, "/healthz").statusCode());
    assertEquals(200, Scrape.get(port, "/readyz").statusCode());
  }

  /** Creates the evaluation and returns its Job once the operator made it. */
  static Job submit(ProbeEvaluation evaluation) {
    client.resource(evaluation).create();
    return awaitJob(evaluation.getMetadata().getNamespace());
  }

  static ProbeEvaluationStatus awaitFailure(String ns, String name, Reason reason) {
    ProbeEvaluationStatus failed = awaitPhase(ns, name, Phase.Failed);
    assertEquals(reason.name(), condition(failed, Conditions.FAILED).getReason(), failed.getMessage());
    return failed;
  }

  static Job awaitJob(String ns) {
    return await().atMost(WAIT).until(() -> cluster.jobs(ns), jobs -> jobs.size() == 1).get(0);
  }

  static ProbeEvaluationStatus awaitPhase(String ns, String name, Phase phase) {
    return await().atMost(WAIT).until(() -> status(ns, name), s -> s != null && s.getPhase() == phase);
  }

  static ProbeEvaluationStatus status(String ns, String name) {
    return EvaluationStatuses.status(client, ns, name);
  }

  static Condition condition(ProbeEvaluationStatus status, String type) {
    return EvaluationStatuses.condition(status, type);
  }

  static List<String> eventReasons(String ns, String name) {
    return EvaluationStatuses.eventReasons(client, ns, name);
  }
}
