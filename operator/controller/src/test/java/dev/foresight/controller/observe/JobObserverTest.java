package dev.foresight.controller.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.controller.status.Conditions;
import dev.foresight.controller.status.NextStatus;
import dev.foresight.controller.support.Fixtures;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of what the operator reads from a Job and its pods: phase, Scheduled condition and
 * outcome reason. Rows follow what a real Job controller and kubelet write, including the
 * in-between states that counter-based logic misreads.
 */
class JobObserverTest {
  static final String T0 = "2026-01-01T10:00:00Z";
  static final String T1 = "2026-01-01T10:00:30Z";
  static final String T2 = "2026-01-01T10:02:00Z";

  /**
   * @param scheduled expected Scheduled condition as "status/reason", or null if absent
   * @param reason expected Failed or Complete reason, or null
   */
  record Row(String name, Job job, List<Pod> pods, Evidence evidence, Phase phase, String scheduled, String reason,
      String inMessage) {
    Row(String name, Job job, List<Pod> pods, Phase phase, String scheduled, String reason, String inMessage) {
      this(name, job, pods, Evidence.NONE, phase, scheduled, reason, inMessage);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> table() {
    return Stream.of(
        new Row("new Job, no pod yet", job(), List.of(), Phase.Pending, "False/Pending", null, "to create the worker pod"),
        new Row("Kueue holds the Job suspended", suspended(), List.of(), Phase.Pending, "False/Pending", null, "Kueue"),
        new Row("pod waits for the scheduler", job(), List.of(pod("a", T0)), Phase.Pending, "False/Pending", null, "waits for a node"),
        new Row("no node with a free GPU", job(), List.of(unschedulable(pod("a", T0))), Phase.Pending,
            "False/Unschedulable", null, "Insufficient nvidia.com/gpu"),
        new Row("bound, container creating", job(), List.of(waiting(scheduled(pod("a", T0)), "ContainerCreating", null)),
            Phase.Pending, "True/Scheduled", null, "ContainerCreating"),
        new Row("credentials Secret missing: fails at once rather than hold the node", job(),
            List.of(waiting(scheduled(pod("a", T0)), "CreateContainerConfigError", "secret \"s3-creds\" not found")),
            Phase.Failed, "False/Pending", "ConfigError", "pod a (CreateContainerConfigError): secret \"s3-creds\" not found"),
        new Row("a key missing in the credentials Secret", job(), List.of(waiting(scheduled(pod("a", T0)),
            "CreateContainerConfigError", "couldn't find key AWS_ACCESS_KEY_ID in Secret ns/s3-creds")),
            Phase.Failed, "False/Pending", "ConfigError", "couldn't find key AWS_ACCESS_KEY_ID"),
        new Row("no PriorityClass: the cluster refuses the pod for good", job(), List.of(), refused(NO_PRIORITY_CLASS),
            Phase.Failed, "False/Pending", "PodCreationFailed",
            "the cluster refuses to create the worker pod: " + NO_PRIORITY_CLASS),
        new Row("quota exhausted: waits for it", job(), List.of(), refused(QUOTA), Phase.Pending, "False/Pending", null,
            "the Job cannot create the worker pod yet: " + QUOTA),
        new Row("a refusal older than the pod made since does not count", job(), List.of(running(pod("a", T0))),
            refused(NO_PRIORITY_CLASS), Phase.Running, "True/Scheduled", null, "runs in pod a"),
        new Row("the unschedulable pod is gone before the Job's verdict: still unschedulable", job(), List.of(),
            new Evidence(null, NO_GPU), Phase.Pending, "False/Unschedulable", null, NO_GPU),
        new Row("image cannot be pulled", job(), List.of(waiting(scheduled(pod("a", T0)), "ImagePullBackOff",
            "Back-off pulling image \"ghcr.io/acme/worker:nope\"")), Phase.Failed, "False/Pending", "ImagePullFailed", "Back-off pulling image"),
        new Row("invalid image name", job(), List.of(waiting(scheduled(pod("a", T0)), "InvalidImageName", "bad")),
            Phase.Failed, "False/Pending", "ImagePullFailed", "InvalidImageName"),
        new Row("worker runs", job(), List.of(running(pod("a", T0))), Phase.Running, "True/Scheduled", null, "runs in pod a"),
        new Row("worker exited 0, Job not marked yet: stays Running", job(), List.of(terminated(pod("a", T0), 0, "{}", "Completed")),
            Phase.Running, "True/Scheduled", null, "waiting for the Job's verdict"),
        new Row("first pod failed, retry pod pending", job(), List.of(terminated(pod("a", T0), 1, "boom", "Error"),
            pod("b", T1)), Phase.Pending, "False/Pending", null, "pod b waits"),
        new Row("Complete with a valid report", jobWith("Complete", "CompletionsReached"),
            List.of(terminated(pod("a", T0), 0, report(), "Completed")), Phase.Succeeded, "True/Scheduled", "Succeeded", "gsm8k 0.412"),
        new Row("SuccessCriteriaMet before Complete", jobWith("SuccessCriteriaMet", "CompletionsReached"),
            List.of(terminated(pod("a", T0), 0, report(), "Completed")), Phase.Succeeded, "True/Scheduled", "Succeeded", "gsm8k"),
        new Row("Complete, report is not JSON", jobWith("Complete", "CompletionsReached"),
            List.of(terminated(pod("a", T0), 0, "Traceback: oops", "Completed")), Phase.Failed, "True/Scheduled",
            "WorkerFailed", "malformed JSON"),
        new Row("deadline", jobWith("Failed", "DeadlineExceeded"), List.of(running(pod("a", T0))), Phase.Failed,
            "False/Pending", "DeadlineExceeded", "the worker ran longer than activeDeadlineSeconds=3600"),
        new Row("deadline before any pod (e.g. no worker service account here)", jobWith("Failed", "DeadlineExceeded"),
            List.of(), Phase.Failed, "False/Pending", "DeadlineExceeded",
            "the Job made no worker pod within activeDeadlineSeconds=3600 (kubectl describe job"),
        new Row("deadline while the pod waits for a node", jobWith("Failed", "DeadlineExceeded"),
            List.of(unschedulable(pod("a", T0))), Phase.Failed, "False/Pending", "Unschedulable",
            "the worker pod never got a node within activeDeadlineSeconds=3600: " + NO_GPU),
        new Row("deadline after the unschedulable pod was deleted", jobWith("Failed", "DeadlineExceeded"), List.of(),
            new Evidence(null, NO_GPU), Phase.Failed, "False/Pending", "Unschedulable",
            "the worker pod never got a node within activeDeadlineSeconds=3600: " + NO_GPU),
        new Row("deadline with the pod bound but never started", jobWith("Failed", "DeadlineExceeded"),
            List.of(waiting(scheduled(pod("a", T0)), "ContainerCreating", null)), new Evidence(null, NO_GPU),
            Phase.Failed, "False/Pending", "DeadlineExceeded",
            "the worker pod did not start within activeDeadlineSeconds=3600: pod a: ContainerCreating"),
        new Row("deadline while the quota stayed exhausted", jobWith("Failed", "DeadlineExceeded"), List.of(), refused(QUOTA),
            Phase.Failed, "False/Pending", "PodCreationFailed",
            "the Job could not create the worker pod within activeDeadlineSeconds=3600: " + QUOTA),
        new Row("OOM on the last retry", jobWith("Failed", "BackoffLimitExceeded"),
            List.of(terminated(pod("a", T0), 1, "x", "Error"), terminated(pod("b", T1), 137, null, "OOMKilled")),
            Phase.Failed, "True/Scheduled", "OOMKilled", "memory limit"),
        new Row("exit 2: invalid arguments", jobWith("FailureTarget", "PodFailurePolicy"),
            List.of(terminated(pod("a", T0), 2, "--tasks: unknown task 'gsm9k'", "Error")), Phase.Failed, "True/Scheduled",
            "InvalidSpec", "unknown task 'gsm9k'"),
        new Row("exit 3: checkpoint missing", jobWith("Failed", "PodFailurePolicy"),
            List.of(terminated(pod("a", T0), 3, "no config.json in /mnt/pvc/checkpoints/x", "Error")), Phase.Failed,
            "True/Scheduled", "CheckpointNotFound", "no config.json"),
        new Row("exit 4: bundle does not fit", jobWith("Failed", "PodFailurePolicy"),
            List.of(terminated(pod("a", T0), 4, "hidden size 4096 != 2048", "Error")), Phase.Failed, "True/Scheduled",
            "ProbeIncompatible", "hidden size"),
        new Row("the worker's message reaches status as printable text only", jobWith("Failed", "PodFailurePolicy"),
            List.of(terminated(pod("a", T0), 3, "\u001B[31mno config.json\u001B[0m\r in \u202Ex\u0000", "Error")),
            Phase.Failed, "True/Scheduled", "CheckpointNotFound", "no config.json in x"),
        new Row("crash with an empty message: the exit code says it", jobWith("Failed", "BackoffLimitExceeded"),
            List.of(terminated(pod("a", T0), 139, "", "Error")), Phase.Failed, "True/Scheduled", "WorkerFailed", "code 139"),
        new Row("an index's pod ran past its own deadline", jobWith("Failed", "MaxFailedIndexesExceeded"),
            List.of(podDeadlineExceeded(terminated(pod("a", T0), 137, null, "Error"))), Phase.Failed, "True/Scheduled",
            "DeadlineExceeded", "pod a ran longer than its activeDeadlineSeconds=600"),
        new Row("Job failed and its pods are gone", jobWith("Failed", "BackoffLimitExceeded"), List.of(), Phase.Failed,
            "False/Pending", "WorkerFailed", "BackoffLimitExceeded")
    ).map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void jobAndPodStatesBecomePhaseConditionsAndReason(Row row) {
    ProbeEvaluation evaluation = Fixtures.evaluation("ns", "e", 1000, "gsm8k");
    evaluation.getMetadata().setCreationTimestamp(T0);
    // What earlier reconciles had recorded: the Job created, waiting for its pod.
    evaluation.setStatus(NextStatus.of(evaluation, Instant.parse(T0)).accepted().jobCreated("e-job", "pvc://probes/v3", null).build());
    NextStatus next = NextStatus.of(evaluation, Instant.parse(T2));
    next.accepted().observed("e-job", JobObserver.observe(row.job(), row.pods(), row.evidence()), List.of("gsm8k"));
    ProbeEvaluationStatus status = next.build();
    assertEquals(row.phase(), status.getPhase(), row.name());
    String scheduled = Conditions.find(status.getConditions(), Conditions.SCHEDULED)
        .map(c -> c.getStatus() + "/" + c.getReason()).orElse(null);
    assertEquals(row.scheduled(), scheduled, row.name());
    String outcome = Conditions.find(status.getConditions(), row.phase() == Phase.Succeeded ? Conditions.COMPLETE : Conditions.FAILED)
        .map(c -> c.getReason()).orElse(null);
    assertEquals(row.reason(), outcome, row.name());
    assertTrue(status.getMessage().contains(row.inMessage()), row.name() + ": " + status.getMessage());
    // Whoever finds the spec invalid, the operator or the worker (exit code 2), the spec is not accepted.
    String accepted = Conditions.find(status.getConditions(), Conditions.ACCEPTED).map(c -> c.getStatus()).orElse(null);
    assertEquals("InvalidSpec".equals(row.reason()) ? Conditions.FALSE : Conditions.TRUE, accepted, row.name());
  }

  @org.junit.jupiter.api.Test
  void aVerdictWithoutAnExitedWorkerIsWhatSendsTheOperatorToTheApiServer() {
    assertTrue(JobObserver.finished(jobWith("Complete", "CompletionsReached")));
    assertTrue(JobObserver.finished(jobWith("FailureTarget", "PodFailurePolicy")));
    assertEquals(false, JobObserver.finished(job()));
    assertEquals(false, JobObserver.anyWorkerExited(List.of(running(pod("a", T0)))));
    assertTrue(JobObserver.anyWorkerExited(List.of(pod("b", T1), terminated(pod("a", T0), 0, "{}", "Completed"))));
  }

  static final String NO_GPU = "0/4 nodes are available: 4 Insufficient nvidia.com/gpu.";
  static final String NO_PRIORITY_CLASS =
      "Error creating: pods \"e-job-\" is forbidden: no PriorityClass with name gpu-high was found";
  static final String QUOTA = "Error creating: pods \"e-job-\" is forbidden: exceeded quota: gpus, requested:"
      + " requests.nvidia.com/gpu=1, used: requests.nvidia.com/gpu=8, limited: requests.nvidia.com/gpu=8";

  static Evidence refused(String message) {
    return new Evidence(message, null);
  }

  static String report() {
    return Fixtures.terminationMessage(List.of("gsm8k"), List.of(0.412));
  }

  static Job job() {
    return new JobBuilder().withNewMetadata().withName("e-job").withNamespace("ns").endMetadata()
        .withNewSpec().withActiveDeadlineSeconds(3600L).endSpec().withNewStatus().endStatus().build();
  }

  static Job suspended() {
    Job job = job();
    job.getSpec().setSuspend(true);
    job.getMetadata().setLabels(java.util.Map.of("kueue.x-k8s.io/queue-name", "gpu-evals"));
    return job;
  }

  static Job jobWith(String type, String reason) {
    Job job = job();
    job.getStatus().setConditions(new ArrayList<>(List.of(new JobConditionBuilder().withType(type).withStatus("True")
        .withReason(reason).withMessage("the Job controller says " + reason).build())));
    return job;
  }

  static Pod pod(String name, String created) {
    return new PodBuilder().withNewMetadata().withName(name).withCreationTimestamp(created).endMetadata()
        .withNewSpec().endSpec().withNewStatus().withPhase("Pending").endStatus().build();
  }

  static Pod unschedulable(Pod pod) {
    pod.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("PodScheduled")
        .withStatus("False").withReason("Unschedulable")
        .withMessage(NO_GPU).build());
    return pod;
  }

  static Pod scheduled(Pod pod) {
    pod.getSpec().setNodeName("gpu-node-1");
    pod.getStatus().getConditions().add(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("PodScheduled")
        .withStatus("True").build());
    return pod;
  }

  static Pod waiting(Pod pod, String reason, String message) {
    pod.getStatus().getContainerStatuses().add(new ContainerStatusBuilder().withName("worker").withImage("ghcr.io/acme/worker:nope")
        .withState(new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build())
        .build());
    return pod;
  }

  static Pod running(Pod pod) {
    scheduled(pod).getStatus().setPhase("Running");
    pod.getStatus().getContainerStatuses().add(new ContainerStatusBuilder().withName("worker")
        .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(T0).endRunning().build()).build());
    return pod;
  }

  /** The kubelet stopped the pod at its own activeDeadlineSeconds (600 here). */
  static Pod podDeadlineExceeded(Pod pod) {
    pod.getSpec().setActiveDeadlineSeconds(600L);
    pod.getStatus().setPhase("Failed");
    pod.getStatus().setReason("DeadlineExceeded");
    return pod;
  }

  static Pod terminated(Pod pod, int exitCode, String message, String reason) {
    scheduled(pod).getStatus().setPhase(exitCode == 0 ? "Succeeded" : "Failed");
    pod.getStatus().getContainerStatuses().add(new ContainerStatusBuilder().withName("worker")
        .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withMessage(message)
            .withReason(reason).withStartedAt(T0).withFinishedAt(T1).endTerminated().build()).build());
    return pod;
  }
}
