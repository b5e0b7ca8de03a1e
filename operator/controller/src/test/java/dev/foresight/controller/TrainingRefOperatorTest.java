package dev.foresight.controller;

import static dev.foresight.controller.support.EvaluationStatuses.condition;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.api.v1alpha1.ProbeSource;
import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.controller.status.Conditions;
import dev.foresight.controller.support.ClusterSimulator;
import dev.foresight.controller.support.EvaluationOperator;
import dev.foresight.controller.support.EvaluationStatuses;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.TestOperators;
import dev.foresight.controller.support.TrainingStatuses;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
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
 * ProbeEvaluations whose probe names a ProbeTraining: the real operator against the mock API
 * server, the test writing the training's status as its controller would and playing the cluster.
 * No test here waits for a periodic look: a waiting evaluation is reconciled only when its
 * training changes, so each step below passes only if the training's change woke it.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class TrainingRefOperatorTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String BUNDLE = "pvc://probes/" + Fixtures.RUN + "/trained";
  static KubernetesMockServer server;
  static KubernetesClient client;
  static EvaluationOperator operator;
  static ClusterSimulator cluster;
  static TrainingStatuses trainings;

  @BeforeAll
  static void start() {
    TestOperators.installCrd(client);
    // Without the ProbeTraining controller: the test writes the trainings' status itself.
    operator = EvaluationOperator.start(server.createClient(), TestOperators.config());
    cluster = new ClusterSimulator(client);
    trainings = new TrainingStatuses(client);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @Test
  void waitsWhileTheTrainingRunsThenEvaluatesWithItsBundle() {
    String ns = "training-runs";
    trainings.create(ns, "probes", BUNDLE, null);
    trainings.labelling(ns, "probes", 5, 8);
    client.resource(evaluation(ns, "step-9000", 9000, "probes")).create();

    ProbeEvaluationStatus waiting = awaitMessage(ns, "step-9000", "waiting for ProbeTraining probes (Labelling, 5/8 shards)");
    assertEquals(Phase.Pending, waiting.getPhase());
    Condition scheduled = condition(waiting, Conditions.SCHEDULED);
    assertEquals(List.of("False", "WaitingForTraining"), List.of(scheduled.getStatus(), scheduled.getReason()));
    assertEquals("True", condition(waiting, Conditions.ACCEPTED).getStatus());
    assertEquals(List.of(), cluster.jobs(ns), "no worker before the bundle exists");

    trainings.labelling(ns, "probes", 6, 8);
    awaitMessage(ns, "step-9000", "waiting for ProbeTraining probes (Labelling, 6/8 shards)");

    trainings.succeeded(ns, "probes");
    Job job = await().atMost(WAIT).until(() -> cluster.jobs(ns), jobs -> jobs.size() == 1).get(0);
    Container worker = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    List<String> args = worker.getArgs();
    assertEquals(BUNDLE, args.get(args.indexOf("--probe") + 1), args.toString());
    assertTrue(job.getSpec().getTemplate().getSpec().getVolumes().stream()
        .anyMatch(v -> v.getPersistentVolumeClaim() != null && "probes".equals(v.getPersistentVolumeClaim().getClaimName())),
        "the bundle's claim is mounted: " + job.getSpec().getTemplate().getSpec().getVolumes());
    ProbeEvaluationStatus pending = await().atMost(WAIT).until(() -> status(ns, "step-9000"), s -> s.getJobName() != null);
    assertEquals(BUNDLE, pending.getProbeUri());
    assertEquals(TrainingStatuses.FINGERPRINT, pending.getProbeFingerprint());

    cluster.succeed(job, Fixtures.terminationMessage(List.of("gsm8k"), List.of(0.6)));
    ProbeEvaluationStatus done = await().atMost(WAIT).until(() -> status(ns, "step-9000"), s -> s.getPhase() == Phase.Succeeded);
    assertEquals(BUNDLE, done.getProbeUri(), "the bundle used stays on record");
    // Started too, if a reconcile saw the worker running before it finished.
    await().atMost(WAIT).untilAsserted(() -> assertEquals(List.of("WaitingForTraining", "JobCreated", "Succeeded"),
        EvaluationStatuses.eventReasons(client, ns, "step-9000").stream().filter(r -> !r.equals("Started")).toList()));
  }

  @Test
  void aFailedTrainingFailsTheEvaluationWithItsMessage() {
    String ns = "training-failed";
    trainings.create(ns, "probes", BUNDLE, null);
    trainings.labelling(ns, "probes", 1, 4);
    client.resource(evaluation(ns, "step-100", 100, "probes")).create();
    awaitMessage(ns, "step-100", "waiting for ProbeTraining probes (Labelling, 1/4 shards)");

    String says = "label shard 2 of checkpoint step 2000 failed 3 times: exit code 1";
    trainings.failed(ns, "probes", says);
    ProbeEvaluationStatus failed = await().atMost(WAIT).until(() -> status(ns, "step-100"), s -> s.getPhase() == Phase.Failed);
    assertEquals(Reason.TrainingFailed.name(), condition(failed, Conditions.FAILED).getReason());
    assertEquals("ProbeTraining probes failed: " + says, failed.getMessage());
    assertEquals(List.of(), cluster.jobs(ns));
  }

  @Test
  void aMissingTrainingIsWaitedForUntilItIsCreated() {
    String ns = "training-missing";
    client.resource(evaluation(ns, "step-7", 7, "later")).create();
    ProbeEvaluationStatus waiting = awaitMessage(ns, "step-7",
        "waiting for ProbeTraining later: not found in namespace " + ns);
    assertEquals("WaitingForTraining", condition(waiting, Conditions.SCHEDULED).getReason());

    trainings.create(ns, "later", BUNDLE, null);
    awaitMessage(ns, "step-7", "waiting for ProbeTraining later (not started)");
    trainings.succeeded(ns, "later");
    await().atMost(WAIT).until(() -> cluster.jobs(ns), jobs -> jobs.size() == 1);
  }

  @Test
  void anS3BundleIsReadWithTheTrainingsCredentialsWhenTheEvaluationNamesNone() {
    String ns = "training-s3";
    trainings.create(ns, "probes", "s3://bundles/" + Fixtures.RUN, "training-s3-creds");
    trainings.succeeded(ns, "probes");
    client.resource(evaluation(ns, "step-5", 5, "probes")).create();
    Job job = await().atMost(WAIT).until(() -> cluster.jobs(ns), jobs -> jobs.size() == 1).get(0);
    List<EnvVar> env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertTrue(env.stream().anyMatch(e -> "AWS_ACCESS_KEY_ID".equals(e.getName())
        && "training-s3-creds".equals(e.getValueFrom().getSecretKeyRef().getName())), env.toString());
  }

  @Test
  void anS3BundleWithoutAnyCredentialsIsAnInvalidSpec() {
    String ns = "training-s3-none";
    trainings.create(ns, "probes", "s3://bundles/" + Fixtures.RUN, null);
    trainings.succeeded(ns, "probes");
    client.resource(evaluation(ns, "step-5", 5, "probes")).create();
    ProbeEvaluationStatus failed = await().atMost(WAIT).until(() -> status(ns, "step-5"), s -> s.getPhase() == Phase.Failed);
    assertEquals(Reason.InvalidSpec.name(), condition(failed, Conditions.FAILED).getReason());
    assertTrue(failed.getMessage().contains("spec.probe.credentialsSecret: is required for an s3:// probe bundle")
        && failed.getMessage().contains("spec.probe.trainingRef probes gave the bundle s3://bundles/" + Fixtures.RUN),
        failed.getMessage());
  }

  /** An evaluation whose status lacks the bundle (an older operator's, or a write lost to a restart) gets it from its Job. */
  @Test
  void theBundleUsedIsReadBackFromTheJobWhenTheStatusLacksIt() {
    String ns = "training-upgrade";
    trainings.create(ns, "probes", BUNDLE, null);
    trainings.succeeded(ns, "probes");
    client.resource(evaluation(ns, "step-3", 3, "probes")).create();
    await().atMost(WAIT).until(() -> status(ns, "step-3"), s -> s != null && s.getProbeUri() != null);

    ProbeEvaluation older = client.resources(ProbeEvaluation.class).inNamespace(ns).withName("step-3").get();
    older.getStatus().setProbeUri(null);
    older.getStatus().setProbeFingerprint(null);
    client.resource(older).updateStatus();
    ProbeEvaluationStatus restored = await().atMost(WAIT).until(() -> status(ns, "step-3"), s -> s.getProbeUri() != null);
    assertEquals(BUNDLE, restored.getProbeUri());
    assertEquals(1, cluster.jobs(ns).size());
  }

  /** A valid evaluation whose probe is the bundle of training {@code training}. */
  static ProbeEvaluation evaluation(String ns, String name, long step, String training) {
    ProbeEvaluation evaluation = Fixtures.evaluation(ns, name, step, "gsm8k");
    evaluation.getSpec().setProbe(ProbeSource.training(training));
    return evaluation;
  }

  static ProbeEvaluationStatus awaitMessage(String ns, String name, String message) {
    return await().atMost(WAIT).until(() -> status(ns, name), s -> s != null && message.equals(s.getMessage()));
  }

  static ProbeEvaluationStatus status(String ns, String name) {
    return EvaluationStatuses.status(client, ns, name);
  }
}
