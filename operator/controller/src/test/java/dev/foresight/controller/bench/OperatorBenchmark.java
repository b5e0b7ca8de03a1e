package dev.foresight.controller.bench;

import static org.awaitility.Awaitility.await;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.controller.ForesightOperator;
import dev.foresight.controller.metrics.MetricNames;
import dev.foresight.controller.support.ClusterSimulator;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.Scrape;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The operator's throughput, latency and memory against Fabric8's mock server (the same setup as
 * the integration tests). Not part of {@code verify}: it runs only when asked, with
 * <pre>
 * ./mvnw -B -pl operator/controller -am verify -Dforesight.bench=true \
 *     -Dtest=OperatorBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * and prints a Markdown table (also written to operator/controller/target/benchmark-operator.md).
 * The mock server shares the JVM and the machine's cores with the operator, so the figures are an
 * upper bound on what the operator itself costs.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@EnabledIfSystemProperty(named = "foresight.bench", matches = "true")
class OperatorBenchmark {
  static final int FIRST = 500;
  static final int TOTAL = 1000;
  static final String NS = "bench";
  static KubernetesMockServer server;
  static KubernetesClient client;

  /** When each Job appeared and each evaluation reached Succeeded, as the test's own informers saw it. */
  static final Map<String, Long> jobSeen = new ConcurrentHashMap<>();
  static final Map<String, Long> succeededSeen = new ConcurrentHashMap<>();

  @Test
  void measure() throws Exception {
    TestOperators.installCrd(client);
    ClusterSimulator cluster = new ClusterSimulator(client);
    SharedIndexInformer<Job> jobs = client.batch().v1().jobs().inNamespace(NS).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job job) {
        jobSeen.putIfAbsent(job.getMetadata().getName(), System.nanoTime());
      }

      @Override
      public void onUpdate(Job before, Job job) { }

      @Override
      public void onDelete(Job job, boolean unknown) { }
    });
    SharedIndexInformer<ProbeEvaluation> evaluations = client.resources(ProbeEvaluation.class).inNamespace(NS)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(ProbeEvaluation e) { }

          @Override
          public void onUpdate(ProbeEvaluation before, ProbeEvaluation e) {
            if (e.getStatus() != null && e.getStatus().getPhase() == Phase.Succeeded) {
              succeededSeen.putIfAbsent(e.getMetadata().getName(), System.nanoTime());
            }
          }

          @Override
          public void onDelete(ProbeEvaluation e, boolean unknown) { }
        });
    long heapBefore = usedHeapAfterGc();
    List<String> rows = new ArrayList<>();
    ForesightOperator operator = TestOperators.start(server, TestOperators.config());
    try {
      // 1. Creating 500 evaluations to 500 Jobs.
      long start = System.nanoTime();
      create(0, FIRST);
      long created = System.nanoTime();
      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20)).until(() -> jobSeen.size() == FIRST);
      long lastJob = jobSeen.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      rows.add(row("create " + FIRST + " ProbeEvaluations (client, sequential)", seconds(created - start) + " s"));
      rows.add(row("first create to " + FIRST + "th Job", seconds(lastJob - start) + " s"));
      rows.add(row("last create to " + FIRST + "th Job (how far the operator lags the creations)",
          seconds(Math.max(0, lastJob - created)) + " s"));

      // 2. Pod terminated to Succeeded, with 4 simulated kubelets finishing workers at once.
      List<Long> latencies = finishAll(cluster, 0, FIRST);
      rows.add(row("pod terminated to Succeeded, p50 (" + latencies.size() + " evaluations)", millis(percentile(latencies, 50)) + " ms"));
      rows.add(row("pod terminated to Succeeded, p99", millis(percentile(latencies, 99)) + " ms"));
      rows.add(row("pod terminated to Succeeded, max", millis(latencies.get(latencies.size() - 1)) + " ms"));

      // 3. Memory once 1,000 evaluations were reconciled to the end: the heap with the operator
      // minus the heap after it stopped and became garbage (the mock server, the resources and
      // the test's own informers stay in both). A stopped operator is garbage only because close()
      // disconnects its admission queue from the caches (the JVM metrics keep its registry alive).
      create(FIRST, TOTAL);
      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20)).until(() -> jobSeen.size() == TOTAL);
      finishAll(cluster, FIRST, TOTAL);
      long withOperator = usedHeapAfterGc();
      operator.close();
      operator = null;
      long without = usedHeapAfterGc();
      rows.add(row("operator heap after reconciling " + TOTAL + " evaluations to Succeeded (after GC)",
          mib(withOperator - without) + " MiB"));

      // The same after a restart onto those 1,000 finished evaluations, their Jobs and pods.
      operator = TestOperators.start(server, TestOperators.config());
      int port = operator.httpPort();
      await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100)).until(() -> reconciled(port) >= TOTAL);
      long withRestarted = usedHeapAfterGc();
      operator.close();
      operator = null;
      long withoutRestarted = usedHeapAfterGc(); // what the restart added to the server is in both
      rows.add(row("operator heap after a restart, " + TOTAL + " Succeeded evaluations reconciled (after GC)",
          mib(withRestarted - withoutRestarted) + " MiB"));
      rows.add(row("whole JVM heap: mock server, " + TOTAL + " evaluations with Jobs and pods, test informers, no operator",
          mib(without) + " MiB (" + mib(heapBefore) + " MiB empty); after the restarted operator stopped: "
          + mib(withoutRestarted) + " MiB"));
    } finally {
      if (operator != null) {
        operator.close();
      }
      jobs.close();
      evaluations.close();
    }
    String table = "| measure | value |\n|---|---|\n" + String.join("\n", rows) + "\n";
    System.out.println(table);
    Files.writeString(Path.of("target/benchmark-operator.md"), table);
  }

  static void create(int from, int to) {
    for (int i = from; i < to; i++) {
      client.resource(Fixtures.evaluation(NS, String.format("step-%04d", i), i, "gsm8k")).create();
    }
  }

  /** Runs and finishes the workers of evaluations [from, to); returns termination-to-Succeeded latencies, sorted. */
  static List<Long> finishAll(ClusterSimulator cluster, int from, int to) throws Exception {
    String report = Fixtures.terminationMessage(List.of("gsm8k"), List.of(0.5));
    Map<String, Long> terminated = new ConcurrentHashMap<>();
    ExecutorService kubelets = Executors.newFixedThreadPool(4);
    for (Job job : cluster.jobs(NS)) {
      String evaluation = job.getMetadata().getAnnotations().get("foresight.dev/evaluation");
      int index = Integer.parseInt(evaluation.substring("step-".length()));
      if (index < from || index >= to) {
        continue;
      }
      kubelets.submit(() -> {
        Pod pod = cluster.running(cluster.createPod(job));
        terminated.put(evaluation, System.nanoTime());
        cluster.terminated(pod, 0, report, null);
        cluster.complete(job);
        return null;
      });
    }
    kubelets.shutdown();
    kubelets.awaitTermination(10, TimeUnit.MINUTES);
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> terminated.keySet().stream().allMatch(succeededSeen::containsKey));
    return terminated.entrySet().stream().map(e -> succeededSeen.get(e.getKey()) - e.getValue()).sorted().toList();
  }

  static double reconciled(int port) {
    return Scrape.samples(port, MetricNames.RECONCILIATIONS_TOTAL).stream()
        .filter(l -> l.contains("result=\"success\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  static long percentile(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  static long usedHeapAfterGc() throws InterruptedException {
    Thread.sleep(2000); // a stopped operator's informers and HTTP connections wind down after close() returns
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static String row(String what, String value) {
    return "| " + what + " | " + value + " |";
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
  }

  static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.0f", nanos / 1e6);
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
  }
}
