package dev.foresight.controller.support;

import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.v1alpha1.PeriodicValidation;
import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeMonitorSpec;
import dev.foresight.api.v1alpha1.ProbeSource;
import dev.foresight.api.v1alpha1.Readiness;
import dev.foresight.controller.job.WorkerLabels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * ProbeMonitors, checkpoint folders and a cluster that runs what a monitor starts: its scan Jobs
 * over a local folder (through {@link WorkerPod}) and its evaluations' worker Jobs.
 */
public final class Monitors implements AutoCloseable {
  public static final String MARKER = ".ready";
  public static final String PREFIX = "pvc://checkpoints/" + Fixtures.RUN;

  private final KubernetesClient client;
  private final ClusterSimulator cluster;
  private final String namespace;
  public final Path root;
  /** Steps whose worker fails with exit code 3, as on a corrupt checkpoint. */
  public final Set<Long> corrupt = ConcurrentHashMap.newKeySet();
  private final Set<String> handled = ConcurrentHashMap.newKeySet();
  private final ExecutorService kubelet = Executors.newSingleThreadExecutor();
  /** While false, worker Jobs wait (evaluations stay unfinished). */
  private volatile boolean workersRun = true;

  public Monitors(KubernetesClient client, String namespace, Path root) {
    this.client = client;
    this.cluster = new ClusterSimulator(client);
    this.namespace = namespace;
    this.root = root;
    kubelet.submit(this::loop);
  }

  /** A monitor of {@link #PREFIX} with a marker, scanning every second (the schema's minimum is 10, the mock checks no schema). */
  public static ProbeMonitor monitor(String namespace, String name) {
    ProbeMonitorSpec spec = new ProbeMonitorSpec();
    spec.setRun(Fixtures.RUN);
    CheckpointPrefix prefix = new CheckpointPrefix(PREFIX);
    prefix.setReady(new Readiness(MARKER, null));
    spec.setCheckpoints(prefix);
    spec.setPollSeconds(1);
    spec.setProbe(new ProbeSource("pvc://probes/" + Fixtures.RUN + "/v3"));
    spec.setTasks(List.of("gsm8k"));
    ProbeMonitor monitor = new ProbeMonitor();
    monitor.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    monitor.setSpec(spec);
    return monitor;
  }

  /** {@link #monitor} validating every {@code every}-th evaluation, keeping the outputs under {@code output}. */
  public static ProbeMonitor validating(String namespace, String name, int every, String output) {
    ProbeMonitor monitor = monitor(namespace, name);
    PeriodicValidation validation = new PeriodicValidation();
    validation.setEvery(every);
    validation.setOutput(output);
    monitor.getSpec().setValidation(validation);
    return monitor;
  }

  /** A checkpoint folder {@code name}, ready (marker written last) or not. */
  public Path checkpoint(String name, boolean ready) {
    try {
      Path folder = Files.createDirectories(root.resolve(name));
      Files.writeString(folder.resolve("config.json"), "{}");
      if (ready) {
        Files.writeString(folder.resolve(MARKER), "");
      }
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void workersRun(boolean run) {
    workersRun = run;
  }

  public List<ProbeEvaluation> evaluations() {
    return client.resources(ProbeEvaluation.class).inNamespace(namespace).list().getItems();
  }

  public ProbeMonitor get(String name) {
    return client.resources(ProbeMonitor.class).inNamespace(namespace).withName(name).get();
  }

  public List<Job> scanJobs() {
    return cluster.jobs(namespace).stream()
        .filter(j -> WorkerLabels.SCAN_NAME_VALUE.equals(j.getMetadata().getLabels().get(WorkerLabels.NAME))).toList();
  }

  public static long step(ProbeEvaluation e) {
    return e.getSpec().getCheckpoint().getStep();
  }

  public static boolean finished(ProbeEvaluation e) {
    return e.getStatus() != null && e.getStatus().getPhase() != null && e.getStatus().getPhase().isFinal();
  }

  public static boolean succeeded(ProbeEvaluation e) {
    return e.getStatus() != null && e.getStatus().getPhase() == Phase.Succeeded;
  }

  private Void loop() throws InterruptedException {
    String report = Fixtures.terminationMessage(List.of("gsm8k"), List.of(0.5));
    while (!Thread.currentThread().isInterrupted()) {
      try {
        runJobs(report);
      } catch (RuntimeException e) {
        System.err.println("test kubelet: " + e); // the mock server going away at the end of a test
      }
      TimeUnit.MILLISECONDS.sleep(50);
    }
    return null;
  }

  /** Runs each Job not run yet: a scan over {@link #root}; a worker, unless workers wait. */
  private void runJobs(String report) {
    for (Job job : cluster.jobs(namespace)) {
      String name = job.getMetadata().getName();
      if (handled.contains(name)) {
        continue;
      }
      boolean scan = WorkerLabels.SCAN_NAME_VALUE.equals(job.getMetadata().getLabels().get(WorkerLabels.NAME));
      if (scan) {
        handled.add(name);
        cluster.scan(job, root);
      } else if (workersRun) {
        handled.add(name);
        String evaluation = job.getMetadata().getAnnotations().get(WorkerLabels.EVALUATION_ANNOTATION);
        ProbeEvaluation e = client.resources(ProbeEvaluation.class).inNamespace(namespace).withName(evaluation).get();
        if (e != null && corrupt.contains(step(e))) {
          cluster.finish(job, 3, "checkpoint " + e.getSpec().getCheckpoint().getUri()
              + " is unreadable: model.safetensors is truncated");
        } else {
          cluster.succeed(job, report);
        }
      }
    }
  }

  @Override
  public void close() {
    kubelet.shutdownNow();
    try {
      kubelet.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
