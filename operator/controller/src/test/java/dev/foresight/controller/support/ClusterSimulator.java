package dev.foresight.controller.support;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventListBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the kubelet and the Job controller against Fabric8's mock server, which runs neither: it
 * makes a Job's pod from the Job's template, and moves pod and Job status along the way the real
 * ones do (the pod's container state first, then the Job's conditions).
 */
public final class ClusterSimulator {
  public static final String WORKER = "worker";
  /** The label (and, before Kubernetes 1.28, only the annotation) naming an Indexed Job pod's index. */
  public static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
  private static final AtomicInteger POD_SEQUENCE = new AtomicInteger();

  private final KubernetesClient client;

  public ClusterSimulator(KubernetesClient client) {
    this.client = client;
  }

  public List<Job> jobs(String namespace) {
    return client.batch().v1().jobs().inNamespace(namespace).list().getItems();
  }

  public Job job(String namespace, String name) {
    return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
  }

  /** What the Job controller does first: a pod from the template, owned by the Job. */
  public Pod createPod(Job job) {
    return createPod(job, Map.of());
  }

  private Pod createPod(Job job, Map<String, String> indexLabels) {
    Map<String, String> labels = new LinkedHashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
    labels.putAll(indexLabels);
    Pod pod = new PodBuilder()
        .withNewMetadata()
          .withName(job.getMetadata().getName() + "-" + Integer.toString(36 * 36 * 36 + POD_SEQUENCE.incrementAndGet(), 36))
          .withNamespace(job.getMetadata().getNamespace())
          .withLabels(labels)
          .withAnnotations(job.getSpec().getTemplate().getMetadata().getAnnotations())
          .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
              .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
              .withController(true).build())
        .endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec())
        .withNewStatus().withPhase("Pending").endStatus()
        .build();
    return client.resource(pod).create();
  }

  /** A pod of one index of an Indexed Job, labelled with its completion index as the Job controller does. */
  public Pod createPod(Job job, int index) {
    return createPod(job, Map.of(COMPLETION_INDEX, Integer.toString(index)));
  }

  /** An Indexed Job under way: {@code succeeded} indexes, these (e.g. "0,2-3"), succeeded; no verdict yet. */
  public Job indexesCompleted(Job job, String completedIndexes, int succeeded) {
    Job current = job(job.getMetadata().getNamespace(), job.getMetadata().getName());
    JobStatus status = current.getStatus() == null ? new JobStatus() : current.getStatus();
    status.setCompletedIndexes(completedIndexes);
    status.setSucceeded(succeeded);
    current.setStatus(status);
    return client.resource(current).updateStatus();
  }

  /**
   * An Indexed Job with {@code maxFailedIndexes: 0} whose index ran out of retries: the index is in
   * failedIndexes, and the Job fails (FailureTarget, then Failed) with reason MaxFailedIndexesExceeded.
   */
  public Job indexFailed(Job job, String failedIndexes) {
    Job current = job(job.getMetadata().getNamespace(), job.getMetadata().getName());
    JobStatus status = current.getStatus() == null ? new JobStatus() : current.getStatus();
    status.setFailedIndexes(failedIndexes);
    current.setStatus(status);
    client.resource(current).updateStatus();
    return fail(job, "MaxFailedIndexesExceeded", "Job has exceeded the specified maximal number of failed indexes");
  }

  /** The scheduler found no node: PodScheduled=False, reason Unschedulable, with its message. */
  public Pod unschedulable(Pod pod, String message) {
    return podStatus(pod, "Pending", List.of(condition("PodScheduled", "False", "Unschedulable", message)), null);
  }

  public Pod imagePullBackOff(Pod pod, String message) {
    return podStatus(pod, "Pending", List.of(condition("PodScheduled", "True", null, null)),
        containerStatus().withNewState().withNewWaiting().withReason("ImagePullBackOff").withMessage(message)
            .endWaiting().endState().build());
  }

  /**
   * The kubelet cannot create the worker container from its configuration, e.g. message
   * {@code secret "s3-creds" not found}; it retries forever, the pod bound to its node.
   */
  public Pod createContainerConfigError(Pod pod, String message) {
    return podStatus(pod, "Pending", List.of(condition("PodScheduled", "True", null, null)),
        containerStatus().withNewState().withNewWaiting().withReason("CreateContainerConfigError").withMessage(message)
            .endWaiting().endState().build());
  }

  /**
   * The Job controller's pod create was refused at admission (no pod exists): it writes a Warning
   * Event on the Job, as {@code message} e.g. {@code Error creating: pods "x-" is forbidden: no
   * PriorityClass with name gpu-high was found}. The mock cannot select events by involvedObject
   * fields, so the query a real server would answer with this event is answered here.
   */
  public Event failedCreate(KubernetesMockServer server, Job job, String message) {
    String stamp = now();
    Event event = client.v1().events().inNamespace(job.getMetadata().getNamespace()).resource(new EventBuilder()
        .withNewMetadata().withName(job.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
          .withNamespace(job.getMetadata().getNamespace()).endMetadata()
        .withNewInvolvedObject().withApiVersion("batch/v1").withKind("Job").withName(job.getMetadata().getName())
          .withNamespace(job.getMetadata().getNamespace()).withUid(job.getMetadata().getUid()).endInvolvedObject()
        .withType("Warning").withReason("FailedCreate").withMessage(message)
        .withNewSource().withComponent("job-controller").endSource()
        .withFirstTimestamp(stamp).withLastTimestamp(stamp).withCount(1)
        .build()).create();
    String selector = URLEncoder.encode("involvedObject.name=" + job.getMetadata().getName(), StandardCharsets.UTF_8);
    server.expect().get()
        .withPath("/api/v1/namespaces/" + job.getMetadata().getNamespace() + "/events?fieldSelector=" + selector)
        .andReturn(200, new EventListBuilder().withItems(event).build())
        .always();
    return event;
  }

  /**
   * The Job's activeDeadlineSeconds passed: as the real Job controller does, the active pod is
   * deleted (a pod with no node goes at once), then the Job gets its DeadlineExceeded verdict.
   */
  public Job deadlineExceeded(Job job) {
    client.pods().inNamespace(job.getMetadata().getNamespace())
        .withLabel("batch.kubernetes.io/job-name", job.getMetadata().getName()).delete();
    return fail(job, "DeadlineExceeded", "Job was active longer than specified deadline");
  }

  public Pod running(Pod pod) {
    return podStatus(pod, "Running", List.of(condition("PodScheduled", "True", null, null)),
        containerStatus().withReady(true).withNewState().withNewRunning().withStartedAt(now()).endRunning()
            .endState().build());
  }

  /** The worker exits: exit code, the termination message it wrote, and the kubelet's reason. */
  public Pod terminated(Pod pod, int exitCode, String message, String reason) {
    String startedAt = now();
    return podStatus(pod, exitCode == 0 ? "Succeeded" : "Failed", List.of(condition("PodScheduled", "True", null, null)),
        containerStatus().withNewState().withNewTerminated().withExitCode(exitCode).withMessage(message)
            .withReason(reason != null ? reason : exitCode == 0 ? "Completed" : "Error")
            .withStartedAt(startedAt).withFinishedAt(now()).endTerminated().endState().build());
  }

  /** Success as the Job controller of Kubernetes 1.31+ writes it: SuccessCriteriaMet, then Complete. */
  public Job complete(Job job) {
    return jobStatus(job, List.of(jobCondition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"),
        jobCondition("Complete", "CompletionsReached", "Reached expected number of succeeded pods")), 1, 0);
  }

  public Job fail(Job job, String reason, String message) {
    return jobStatus(job, List.of(jobCondition("FailureTarget", reason, message), jobCondition("Failed", reason, message)), 0, 1);
  }

  /**
   * Runs a scan Job as its pod would, over {@code root} (the local folder the monitor's prefix
   * stands for): the scan's exit code and termination message, then the Job's verdict.
   */
  public WorkerPod.Result scan(Job job, java.nio.file.Path root) {
    WorkerPod.Result result = WorkerPod.scan(args(job), root);
    finish(job, result.exitCode(), result.message());
    return result;
  }

  /** The worker container's arguments in the Job's pod template. */
  public static List<String> args(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
  }

  /** A worker-image pod ends with this exit code and termination message; the Job follows. */
  public void finish(Job job, int exitCode, String message) {
    Pod pod = running(createPod(job));
    terminated(pod, exitCode, message, null);
    if (exitCode == 0) {
      complete(job);
    } else {
      fail(job, "PodFailurePolicy", "Container worker for pod failed with exit code " + exitCode);
    }
  }

  /** The happy path of one worker: pod, running, a report, Job complete. */
  public void succeed(Job job, String report) {
    finish(job, 0, report);
  }

  private Pod podStatus(Pod pod, String phase, List<PodCondition> conditions, ContainerStatus worker) {
    Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
    current.getStatus().setPhase(phase);
    current.getStatus().setConditions(new ArrayList<>(conditions));
    current.getStatus().setContainerStatuses(worker == null ? List.of() : List.of(worker));
    if (!"Pending".equals(phase) || worker != null) {
      current.getStatus().setStartTime(current.getStatus().getStartTime() != null ? current.getStatus().getStartTime() : now());
    }
    return client.resource(current).updateStatus();
  }

  private Job jobStatus(Job job, List<JobCondition> conditions, int succeeded, int failed) {
    Job current = job(job.getMetadata().getNamespace(), job.getMetadata().getName());
    JobStatus status = current.getStatus() == null ? new JobStatus() : current.getStatus();
    status.setConditions(new ArrayList<>(conditions));
    status.setSucceeded(succeeded);
    status.setFailed(failed);
    status.setActive(0);
    status.setCompletionTime(succeeded > 0 ? now() : null);
    current.setStatus(status);
    return client.resource(current).updateStatus();
  }

  private static ContainerStatusBuilder containerStatus() {
    return new ContainerStatusBuilder().withName(WORKER).withImage("registry.example/foresight-worker:test")
        .withRestartCount(0);
  }

  private static PodCondition condition(String type, String status, String reason, String message) {
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime(now()).build();
  }

  private static JobCondition jobCondition(String type, String reason, String message) {
    return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
        .withLastTransitionTime(now()).withLastProbeTime(now()).build();
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
