package dev.foresight.controller.bench;

import static dev.foresight.controller.bench.OperatorBenchmark.mib;
import static dev.foresight.controller.bench.OperatorBenchmark.row;
import static dev.foresight.controller.bench.OperatorBenchmark.seconds;
import static dev.foresight.controller.bench.OperatorBenchmark.usedHeapAfterGc;
import static org.awaitility.Awaitility.await;

import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.controller.ForesightOperator;
import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.support.Monitors;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ProbeMonitor applied to a run that already holds 1,000 ready checkpoints, with the operator's
 * in-flight cap at 10: how long until every checkpoint has its evaluation and until all have
 * succeeded, with the test kubelet running each scan (the real {@code foresight scan}, in-process,
 * over a local folder) and each worker at once. Not part of {@code verify}:
 * <pre>
 * ./mvnw -B -pl operator/controller -am verify -Dforesight.bench=true \
 *     -Dtest=MonitorBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * prints a Markdown table (also operator/controller/target/benchmark-monitor.md). The backlog
 * moves one scan page (about 60 checkpoints of 4,096 bytes) at a time, and a monitor keeps at
 * most the cap of its evaluations unfinished, so the figures are set by the poll interval (1 s
 * here, the schema's minimum is 10 s) as much as by the operator.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@EnabledIfSystemProperty(named = "foresight.bench", matches = "true")
class MonitorBenchmark {
  static final int CHECKPOINTS = 1000;
  static final String NS = "bench";
  static KubernetesMockServer server;
  static KubernetesClient client;

  @Test
  void measure(@TempDir Path root) throws Exception {
    TestOperators.installCrd(client);
    Monitors monitors = new Monitors(client, NS, root);
    for (int i = 1; i <= CHECKPOINTS; i++) {
      monitors.checkpoint("step-" + i * 100, true);
    }
    List<String> rows = new ArrayList<>();
    long heapBefore = usedHeapAfterGc();
    ForesightOperator operator = TestOperators.start(server, TestOperators.config(ConfigKeys.MAX_IN_FLIGHT, "10"));
    try {
      long start = System.nanoTime();
      ProbeMonitor monitor = Monitors.monitor(NS, "run");
      monitor.getSpec().setHistoryLimit(CHECKPOINTS); // keep every evaluation, to count them
      client.resource(monitor).create();
      await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(200))
          .until(() -> monitors.evaluations().size() >= CHECKPOINTS);
      long created = System.nanoTime();
      await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(200))
          .until(() -> monitors.evaluations().stream().filter(Monitors::succeeded).count() >= CHECKPOINTS);
      long succeeded = System.nanoTime();
      List<ProbeEvaluation> all = monitors.evaluations();
      long distinctSteps = all.stream().map(Monitors::step).distinct().count();
      rows.add(row("monitor created to " + CHECKPOINTS + " evaluations created (" + distinctSteps + " distinct steps)",
          seconds(created - start) + " s"));
      rows.add(row("monitor created to all " + CHECKPOINTS + " Succeeded", seconds(succeeded - start) + " s"));
      rows.add(row("scan Jobs run", Integer.toString(monitors.scanJobs().size())));
      long withOperator = usedHeapAfterGc();
      operator.close();
      operator = null;
      long without = usedHeapAfterGc();
      rows.add(row("operator heap with the monitor and " + CHECKPOINTS + " finished evaluations (after GC)",
          mib(withOperator - without) + " MiB (whole JVM " + mib(withOperator) + " MiB, empty " + mib(heapBefore) + " MiB)"));
    } finally {
      if (operator != null) {
        operator.close();
      }
      monitors.close();
    }
    String table = "| measure | value |\n|---|---|\n" + String.join("\n", rows) + "\n";
    System.out.println(table);
    Files.writeString(Path.of("target/benchmark-monitor.md"), table);
  }
}
