package dev.foresight.controller.support;

import dev.foresight.api.training.TrainingPlan;
import dev.foresight.api.worker.LabelShardCommand;
import dev.foresight.api.worker.TrainingStageCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The kubelet and the Job controller for worker Jobs, done for real: every pod a Job asks for runs
 * the real worker command in the test's process ({@link WorkerPod}), one index after another for an
 * Indexed Job, and its exit code and termination message go on the pod and the Job as
 * {@link ClusterSimulator} writes them. A mounted training plan is the ConfigMap's content in a
 * local file; pvc:// locations resolve under the worker's FORESIGHT_PVC_ROOT (the test JVM's
 * environment), as they resolve under the claim mounts in a pod.
 */
public final class WorkerKubelet {
  /** One pod that ran: its Job, completion index (null for a plain Job), arguments and outcome. */
  public record Run(String job, Integer index, List<String> args, WorkerPod.Result result) {}

  private final KubernetesClient client;
  private final ClusterSimulator cluster;
  private final String namespace;
  private final Path scratch;
  private final Set<String> started = new HashSet<>();
  private final List<Run> runs = new ArrayList<>();
  private Consumer<Job> beforeIndexedVerdict = job -> { };

  /** @param scratch where mounted files (the training plan) are written for the pods */
  public WorkerKubelet(KubernetesClient client, String namespace, Path scratch) {
    this.client = client;
    this.cluster = new ClusterSimulator(client);
    this.namespace = namespace;
    this.scratch = scratch;
  }

  /** Runs every Job of the namespace not run before to its end; returns how many there were. */
  public int runNewJobs() {
    int count = 0;
    for (Job job : cluster.jobs(namespace)) {
      if (started.add(job.getMetadata().getUid())) {
        run(job);
        count++;
      }
    }
    return count;
  }

  /**
   * Called once every index of an Indexed Job has succeeded and before the Job's verdict: the real
   * Job controller writes the last completed index and the Complete condition in separate updates,
   * and a test can wait here for what the operator shows in between.
   */
  public WorkerKubelet beforeIndexedVerdict(Consumer<Job> action) {
    this.beforeIndexedVerdict = action;
    return this;
  }

  /** Every pod run so far, in order. */
  public List<Run> runs() {
    return List.copyOf(runs);
  }

  private void run(Job job) {
    List<String> args = withLocalPlan(job, ClusterSimulator.args(job));
    if (!"Indexed".equals(job.getSpec().getCompletionMode())) {
      WorkerPod.Result result = record(job, null, args);
      cluster.finish(job, result.exitCode(), result.message());
      return;
    }
    int completions = job.getSpec().getCompletions();
    for (int index = 0; index < completions; index++) {
      Pod pod = cluster.running(cluster.createPod(job, index));
      String value = Integer.toString(index);
      List<String> indexArgs = args.stream().map(a -> a.equals(LabelShardCommand.JOB_INDEX) ? value : a).toList();
      WorkerPod.Result result = record(job, index, indexArgs);
      cluster.terminated(pod, result.exitCode(), result.message(), null);
      if (result.exitCode() != 0) {
        cluster.indexFailed(job, value);
        return;
      }
      cluster.indexesCompleted(job, index == 0 ? "0" : "0-" + index, index + 1);
    }
    beforeIndexedVerdict.accept(job);
    cluster.complete(job);
  }

  private WorkerPod.Result record(Job job, Integer index, List<String> args) {
    WorkerPod.Result result = WorkerPod.run(args);
    runs.add(new Run(job.getMetadata().getName(), index, args, result));
    return result;
  }

  /** The arguments with {@code --plan} pointing at a local copy of the plan ConfigMap the pod mounts. */
  private List<String> withLocalPlan(Job job, List<String> args) {
    int at = args.indexOf(TrainingStageCommand.PLAN);
    if (at < 0) {
      return args;
    }
    String configMap = job.getSpec().getTemplate().getSpec().getVolumes().stream()
        .map(Volume::getConfigMap).filter(c -> c != null).findFirst()
        .orElseThrow(() -> new IllegalStateException("Job " + job.getMetadata().getName()
            + " passes --plan but mounts no ConfigMap"))
        .getName();
    ConfigMap plan = client.configMaps().inNamespace(namespace).withName(configMap).get();
    if (plan == null || plan.getData() == null || !plan.getData().containsKey(TrainingPlan.CONFIG_MAP_KEY)) {
      throw new IllegalStateException("ConfigMap " + configMap + " has no " + TrainingPlan.CONFIG_MAP_KEY
          + " for Job " + job.getMetadata().getName());
    }
    try {
      Path file = Files.createDirectories(scratch).resolve(configMap + ".json");
      Files.writeString(file, plan.getData().get(TrainingPlan.CONFIG_MAP_KEY));
      List<String> local = new ArrayList<>(args);
      local.set(at + 1, file.toString());
      return local;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
