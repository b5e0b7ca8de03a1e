package dev.foresight.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.job.WorkerLabels;
import dev.foresight.controller.support.ClusterSimulator;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cap on evaluations in flight holds while JOSDK reconciles many resources at once from caches
 * that lag the API server: the test watches every change of every Job and checks the cap on each.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class InFlightCapTest {
  static final int CAP = 10;
  static KubernetesMockServer server;
  static KubernetesClient client;
  static ForesightOperator operator;
  static ClusterSimulator cluster;

  @BeforeAll
  static void start() {
    TestOperators.installCrd(client);
    operator = TestOperators.start(server, TestOperators.config(ConfigKeys.MAX_IN_FLIGHT, Integer.toString(CAP)));
    cluster = new ClusterSimulator(client);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  /** Job events in server order, kept by the test: the number of live Jobs after each one. */
  static final class LiveJobs implements ResourceEventHandler<Job> {
    private final Map<String, Boolean> live = new HashMap<>();
    private final BlockingQueue<Job> started = new LinkedBlockingQueue<>();
    private final List<Integer> samples = new ArrayList<>();
    /** Counted down once CAP Jobs are live at the same time. */
    private final CountDownLatch full = new CountDownLatch(1);

    @Override
    public synchronized void onAdd(Job job) {
      live.put(job.getMetadata().getName(), isLive(job));
      started.add(job);
      sample();
    }

    @Override
    public synchronized void onUpdate(Job before, Job job) {
      live.put(job.getMetadata().getName(), isLive(job));
      sample();
    }

    @Override
    public synchronized void onDelete(Job job, boolean unknownFinalState) {
      live.remove(job.getMetadata().getName());
      sample();
    }

    private void sample() {
      int count = (int) live.values().stream().filter(Boolean::booleanValue).count();
      samples.add(count);
      if (count >= CAP) {
        full.countDown();
      }
    }

    synchronized List<Integer> samples() {
      return List.copyOf(samples);
    }

    static boolean isLive(Job job) {
      return job.getStatus() == null || job.getStatus().getConditions() == null
          || job.getStatus().getConditions().stream().noneMatch(c -> "True".equals(c.getStatus())
              && ("Complete".equals(c.getType()) || "Failed".equals(c.getType())));
    }
  }

  @Test
  void twoHundredEvaluationsNeverMoreThanTenLiveJobsAllSucceed() throws Exception {
    String ns = "burst";
    LiveJobs liveJobs = new LiveJobs();
    SharedIndexInformer<Job> informer = client.batch().v1().jobs().inNamespace(ns).inform(liveJobs);
    ExecutorService workers = Executors.newFixedThreadPool(4);
    String report = Fixtures.terminationMessage(List.of("gsm8k"), List.of(0.5));
    try {
      for (int i = 0; i < 4; i++) {
        workers.submit(() -> {
          // The kubelet and the Job controller: each Job runs and succeeds. They start finishing
          // Jobs only once the operator has filled the cap (or after 30 s, when the assertion below
          // then fails): finishing the first Job before the tenth exists would leave the cap's use
          // in full to chance.
          liveJobs.full.await(30, TimeUnit.SECONDS);
          while (!Thread.currentThread().isInterrupted()) {
            Job job = liveJobs.started.poll(100, TimeUnit.MILLISECONDS);
            if (job != null) {
              cluster.succeed(job, report);
            }
          }
          return null;
        });
      }
      for (int i = 0; i < 200; i++) {
        client.resource(Fixtures.evaluation(ns, String.format("step-%03d", i), i, "gsm8k")).create();
      }
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
          client.resources(ProbeEvaluation.class).inNamespace(ns).list().getItems().stream()
              .filter(e -> e.getStatus() != null && e.getStatus().getPhase() == Phase.Succeeded).count() == 200);
    } finally {
      workers.shutdownNow();
      informer.close();
    }
    List<Integer> samples = liveJobs.samples();
    assertEquals(200, cluster.jobs(ns).size(), "one Job per evaluation");
    assertTrue(samples.size() >= 400, "every Job was seen created and completed: " + samples.size() + " samples");
    int most = samples.stream().mapToInt(Integer::intValue).max().orElse(0);
    assertTrue(most <= CAP, "at some point " + most + " Jobs were live, more than " + CAP);
    assertEquals(CAP, most, "the cap is also used in full");
  }

  @Test
  void queuedEvaluationsStartOldestFirst() {
    String ns = "order";
    List<Job> running = new ArrayList<>();
    for (int i = 0; i < CAP; i++) {
      client.resource(Fixtures.evaluation(ns, String.format("running-%02d", i), i)).create();
    }
    running.addAll(await().atMost(Duration.ofSeconds(60)).until(() -> cluster.jobs(ns), jobs -> jobs.size() == CAP));
    for (String name : List.of("waiting-a", "waiting-b", "waiting-c")) {
      client.resource(Fixtures.evaluation(ns, name, 100)).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> phase(ns, name) == Phase.Queued);
    }
    assertEquals(CAP, cluster.jobs(ns).size());

    String report = Fixtures.terminationMessage(List.of("gsm8k"), List.of(0.5));
    List<String> started = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      cluster.succeed(running.remove(0), report);
      int expected = CAP + i + 1;
      List<Job> jobs = await().atMost(Duration.ofSeconds(20)).until(() -> cluster.jobs(ns), j -> j.size() == expected);
      jobs.stream().map(j -> j.getMetadata().getAnnotations().get(WorkerLabels.EVALUATION_ANNOTATION))
          .filter(n -> n.startsWith("waiting-") && !started.contains(n)).forEach(started::add);
    }
    assertEquals(List.of("waiting-a", "waiting-b", "waiting-c"), started);

    // Leave no slot taken for the other test.
    cluster.jobs(ns).stream().filter(LiveJobs::isLive).forEach(job -> cluster.succeed(job, report));
    await().atMost(Duration.ofSeconds(20)).until(() -> client.resources(ProbeEvaluation.class).inNamespace(ns).list()
        .getItems().stream().allMatch(e -> e.getStatus() != null && e.getStatus().getPhase() == Phase.Succeeded));
  }

  /**
   * The reconcile that writes an evaluation's final status can fail after the API server took the
   * write (its answer timed out under load). JOSDK retries it, and the retry finds the evaluation
   * final: it must still hand the slot to the queue, or the queued evaluation waits for its
   * periodic recheck ({@code QUEUED_RECHECK}, 30 s), longer than this test waits. The test plays
   * that lost answer by writing the final status itself, as the lost write would have.
   */
  @Test
  void aSlotFreedByAWriteWhoseAnswerWasLostStillGoesToTheQueue() {
    String ns = "lost-answer";
    for (int i = 0; i < CAP; i++) {
      client.resource(Fixtures.evaluation(ns, String.format("running-%02d", i), i)).create();
    }
    List<Job> running = new ArrayList<>(
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.jobs(ns), jobs -> jobs.size() == CAP));
    client.resource(Fixtures.evaluation(ns, "waiting", 100)).create();
    await().atMost(Duration.ofSeconds(60)).until(() -> phase(ns, "waiting") == Phase.Queued);

    Job first = running.get(0);
    String owner = first.getMetadata().getAnnotations().get(WorkerLabels.EVALUATION_ANNOTATION);
    ProbeEvaluation written = client.resources(ProbeEvaluation.class).inNamespace(ns).withName(owner).get();
    written.getStatus().setPhase(Phase.Succeeded);
    client.resource(written).updateStatus();
    String report = Fixtures.terminationMessage(List.of("gsm8k"), List.of(0.5));
    cluster.succeed(first, report); // the Job's verdict brings the retry's reconcile

    await().atMost(Duration.ofSeconds(15)).until(() -> cluster.jobs(ns).stream().anyMatch(j ->
        "waiting".equals(j.getMetadata().getAnnotations().get(WorkerLabels.EVALUATION_ANNOTATION))));

    cluster.jobs(ns).stream().filter(LiveJobs::isLive).forEach(job -> cluster.succeed(job, report));
    await().atMost(Duration.ofSeconds(60)).until(() -> client.resources(ProbeEvaluation.class).inNamespace(ns).list()
        .getItems().stream().allMatch(e -> e.getStatus() != null && e.getStatus().getPhase() == Phase.Succeeded));
  }

  static Phase phase(String ns, String name) {
    ProbeEvaluation e = client.resources(ProbeEvaluation.class).inNamespace(ns).withName(name).get();
    return e == null || e.getStatus() == null ? null : e.getStatus().getPhase();
  }
}
