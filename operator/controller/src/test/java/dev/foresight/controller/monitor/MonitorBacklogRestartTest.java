package dev.foresight.controller.monitor;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.controller.ForesightOperator;
import dev.foresight.controller.support.Monitors;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog larger than the monitor's bound on unfinished evaluations, with the operator restarted
 * in the middle: every checkpoint gets exactly one evaluation, none is skipped, newest first, and
 * the bound holds throughout (checked on every change of every evaluation, in server order).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class MonitorBacklogRestartTest {
  static final int CHECKPOINTS = 35;
  static final int BOUND = 5;
  KubernetesMockServer server;
  KubernetesClient client;

  /** The number of unfinished evaluations after each event, and the steps in creation order. */
  static final class Watch implements ResourceEventHandler<ProbeEvaluation> {
    private final Map<String, Boolean> unfinished = new HashMap<>();
    final List<Integer> samples = new ArrayList<>();
    final List<Long> created = new ArrayList<>();

    @Override
    public synchronized void onAdd(ProbeEvaluation e) {
      created.add(Monitors.step(e));
      update(e);
    }

    @Override
    public synchronized void onUpdate(ProbeEvaluation before, ProbeEvaluation e) {
      update(e);
    }

    @Override
    public synchronized void onDelete(ProbeEvaluation e, boolean unknownFinalState) {
      unfinished.remove(e.getMetadata().getName());
    }

    private void update(ProbeEvaluation e) {
      unfinished.put(e.getMetadata().getName(), !Monitors.finished(e));
      samples.add((int) unfinished.values().stream().filter(Boolean::booleanValue).count());
    }

    synchronized List<Long> created() {
      return List.copyOf(created);
    }
  }

  /**
   * With an hour between scans, a backlog five times the bound is still worked off: each time half
   * the bound is free again the monitor pages on at once, so a backlog moves at the speed of its
   * evaluations, not one page per poll interval.
   */
  @Test
  void aBacklogMovesAsItsEvaluationsFinishNotOncePerPoll(@TempDir Path root) {
    TestOperators.installCrd(client);
    String ns = "fast-backlog";
    int checkpoints = 5 * BOUND;
    try (ForesightOperator operator = TestOperators.start(server,
            TestOperators.config("FORESIGHT_MAX_IN_FLIGHT", Integer.toString(BOUND)));
        Monitors cluster = new Monitors(client, ns, root)) {
      LongStream.rangeClosed(1, checkpoints).forEach(s -> cluster.checkpoint("step-" + s * 100, true));
      var monitor = Monitors.monitor(ns, "run");
      monitor.getSpec().setPollSeconds(3600);
      client.resource(monitor).create();
      await().atMost(Duration.ofSeconds(60)).until(() -> cluster.evaluations().stream().filter(Monitors::succeeded).count()
          == checkpoints);
      assertEquals(checkpoints, cluster.evaluations().stream().map(Monitors::step).distinct().count());
    }
  }

  @Test
  void restartMidBacklogMakesNoDuplicateAndSkipsNothing(@TempDir Path root) {
    TestOperators.installCrd(client);
    String ns = "backlog";
    Watch watch = new Watch();
    SharedIndexInformer<ProbeEvaluation> informer = client.resources(ProbeEvaluation.class).inNamespace(ns).inform(watch);
    ForesightOperator operator = TestOperators.start(server,
        TestOperators.config("FORESIGHT_MAX_IN_FLIGHT", Integer.toString(BOUND)));
    try (Monitors cluster = new Monitors(client, ns, root)) {
      LongStream.rangeClosed(1, CHECKPOINTS).forEach(s -> cluster.checkpoint("step-" + s * 100, true));
      cluster.workersRun(false);
      client.resource(Monitors.monitor(ns, "run")).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.evaluations().size() == BOUND);

      operator.close();
      cluster.workersRun(true); // evaluations finish while no operator runs
      operator = TestOperators.start(server, TestOperators.config("FORESIGHT_MAX_IN_FLIGHT", Integer.toString(BOUND)));

      await().atMost(Duration.ofSeconds(90)).until(() -> cluster.evaluations().stream().filter(Monitors::succeeded).count()
          == CHECKPOINTS);
      List<Long> steps = cluster.evaluations().stream().map(Monitors::step).sorted().toList();
      assertEquals(LongStream.rangeClosed(1, CHECKPOINTS).map(s -> s * 100).boxed().toList(), steps,
          "each checkpoint once, none skipped");
      List<Long> created = watch.created();
      assertEquals(created.stream().sorted((a, b) -> Long.compare(b, a)).toList(), created, "newest first, then older ones");
      int most = watch.samples.stream().mapToInt(Integer::intValue).max().orElse(0);
      assertTrue(most <= BOUND, "at some point " + most + " evaluations were unfinished, more than " + BOUND);
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.get("run").getStatus().getCounts().getSucceeded() == CHECKPOINTS);
    } finally {
      informer.close();
      operator.close();
    }
  }
}
