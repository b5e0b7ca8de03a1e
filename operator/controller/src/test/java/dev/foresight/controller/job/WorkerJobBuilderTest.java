package dev.foresight.controller.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.Dtype;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ValidationRun;
import dev.foresight.api.v1alpha1.WorkerRuntime;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.config.OperatorConfig;
import dev.foresight.controller.support.Fixtures;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerJobBuilderTest {
  static final OperatorConfig CONFIG = TestOperators.config(
      ConfigKeys.WORKER_SERVICE_ACCOUNT, "foresight-worker",
      ConfigKeys.WORKER_RESOURCES, "{\"requests\":{\"cpu\":\"4\",\"memory\":\"32Gi\"},\"limits\":{\"memory\":\"48Gi\"}}");

  static ProbeEvaluation evaluation() {
    ProbeEvaluation e = Fixtures.evaluation("pretrain", "olmo3-7b-step120000", 120000, "gsm8k", "mbpp");
    e.getMetadata().setUid("6f1c2b9e-0d4a-4a5e-9c7b-2f8e1d3a4b5c");
    return e;
  }

  static Job build(ProbeEvaluation e) {
    return new WorkerJobBuilder(CONFIG).build(e);
  }

  static Container worker(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  static Optional<EnvVar> env(Container c, String name) {
    return c.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst();
  }

  @Test
  void pvcLocationsAreMountedReadOnlyUnderTheContractRootAndPassedUnchanged() {
    ProbeEvaluation e = evaluation();
    e.getSpec().getProbe().setUri("pvc://probes/olmo3-7b/v3");
    Job job = build(e);
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    List<Volume> claims = pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null).toList();
    assertEquals(List.of("checkpoints", "probes"), claims.stream().map(v -> v.getPersistentVolumeClaim().getClaimName()).toList());
    assertTrue(claims.stream().allMatch(v -> v.getPersistentVolumeClaim().getReadOnly()));
    Map<String, VolumeMount> mounts = worker(job).getVolumeMounts().stream()
        .collect(java.util.stream.Collectors.toMap(VolumeMount::getMountPath, m -> m));
    assertTrue(mounts.get("/mnt/pvc/checkpoints").getReadOnly());
    assertTrue(mounts.get("/mnt/pvc/probes").getReadOnly());
    assertEquals(claims.get(0).getName(), mounts.get("/mnt/pvc/checkpoints").getName());
    List<String> args = worker(job).getArgs();
    assertEquals("pvc://checkpoints/olmo3-7b/step120000", args.get(args.indexOf(WorkerCommand.CHECKPOINT) + 1));
    assertFalse(env(worker(job), "AWS_ACCESS_KEY_ID").isPresent(), "no S3, no credentials");
  }

  @Test
  void oneClaimIsMountedOnceAndTheOutputClaimIsWritable() {
    ProbeEvaluation e = evaluation();
    e.getSpec().getProbe().setUri("pvc://checkpoints/probes/v3");
    e.getSpec().setOutput("pvc://results/olmo3-7b/step120000");
    Job job = build(e);
    List<VolumeMount> pvcMounts = worker(job).getVolumeMounts().stream()
        .filter(m -> m.getMountPath().startsWith("/mnt/pvc/")).toList();
    assertEquals(List.of("/mnt/pvc/checkpoints", "/mnt/pvc/results"), pvcMounts.stream().map(VolumeMount::getMountPath).toList());
    assertEquals(List.of(true, false), pvcMounts.stream().map(VolumeMount::getReadOnly).toList());
  }

  @Test
  void s3CredentialsComeFromTheSecretAsEnvironment() {
    ProbeEvaluation e = evaluation();
    e.getSpec().getCheckpoint().setUri("s3://checkpoints/olmo3-7b/step120000");
    e.getSpec().getCheckpoint().setCredentialsSecret("s3-creds");
    e.getSpec().getProbe().setUri("s3://probes/olmo3-7b/v3");
    Job job = build(e);
    Container c = worker(job);
    for (String key : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL", "AWS_REGION")) {
      var ref = env(c, key).orElseThrow().getValueFrom().getSecretKeyRef();
      assertEquals("s3-creds", ref.getName());
      assertEquals(key, ref.getKey());
      assertEquals(key.equals("AWS_ENDPOINT_URL") || key.equals("AWS_REGION"), ref.getOptional(), key);
    }
    assertTrue(job.getSpec().getTemplate().getSpec().getVolumes().stream().noneMatch(v -> v.getPersistentVolumeClaim() != null));
    assertEquals("s3://checkpoints/olmo3-7b/step120000", c.getArgs().get(c.getArgs().indexOf("--checkpoint") + 1));
  }

  @Test
  void gpusGoToLimitsUnderTheConfiguredNameAndSelectCuda() {
    ProbeEvaluation e = evaluation();
    WorkerRuntime runtime = new WorkerRuntime();
    runtime.setGpus(2);
    runtime.setDtype(Dtype.FLOAT16);
    runtime.setBatchSize(64);
    runtime.setNodeSelector(Map.of("cloud.google.com/gke-accelerator", "nvidia-h100-80gb"));
    runtime.setTolerations(List.of(new TolerationBuilder().withKey("nvidia.com/gpu").withOperator("Exists")
        .withEffect("NoSchedule").build()));
    runtime.setPriorityClassName("evaluation");
    runtime.setResources(new ResourceRequirements(null, Map.of("memory", new Quantity("64Gi")), Map.of("cpu", new Quantity("8"))));
    e.getSpec().setRuntime(runtime);
    OperatorConfig amd = TestOperators.config(ConfigKeys.GPU_RESOURCE_NAME, "amd.com/gpu",
        ConfigKeys.WORKER_RESOURCES, "{\"requests\":{\"cpu\":\"4\",\"memory\":\"32Gi\"}}");
    Job job = new WorkerJobBuilder(amd).build(e);
    Container c = worker(job);
    assertEquals(new Quantity("2"), c.getResources().getLimits().get("amd.com/gpu"));
    assertEquals(new Quantity("64Gi"), c.getResources().getLimits().get("memory"));
    assertEquals(Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi")), c.getResources().getRequests(),
        "the spec's requests override the configured ones key by key");
    List<String> args = c.getArgs();
    assertEquals("cuda", args.get(args.indexOf("--device") + 1));
    assertEquals("2", args.get(args.indexOf("--gpus") + 1), "two GPUs: the worker splits the model over both");
    assertEquals("float16", args.get(args.indexOf("--dtype") + 1));
    assertEquals("64", args.get(args.indexOf("--batch-size") + 1));
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertEquals(runtime.getNodeSelector(), pod.getNodeSelector());
    assertEquals(runtime.getTolerations(), pod.getTolerations());
    assertEquals("evaluation", pod.getPriorityClassName());
  }

  @Test
  void zeroGpusRunsOnCpuWithoutAGpuLimit() {
    ProbeEvaluation e = evaluation();
    e.getSpec().setRuntime(new WorkerRuntime());
    e.getSpec().getRuntime().setGpus(0);
    Container c = worker(build(e));
    assertEquals("cpu", c.getArgs().get(c.getArgs().indexOf("--device") + 1));
    assertFalse(c.getResources().getLimits().containsKey("nvidia.com/gpu"));
    assertEquals(new Quantity("48Gi"), c.getResources().getLimits().get("memory"), "the configured defaults remain");
    Container defaults = worker(build(evaluation()));
    assertEquals(new Quantity("1"), defaults.getResources().getLimits().get("nvidia.com/gpu"), "default: one GPU");
  }

  @Test
  void kueueQueueNameBecomesTheJobLabel() {
    ProbeEvaluation e = evaluation();
    e.getSpec().setRuntime(new WorkerRuntime());
    e.getSpec().getRuntime().setQueueName("gpu-evals");
    Job job = build(e);
    assertEquals("gpu-evals", job.getMetadata().getLabels().get("kueue.x-k8s.io/queue-name"));
    assertNull(build(evaluation()).getMetadata().getLabels().get("kueue.x-k8s.io/queue-name"));
  }

  @Test
  void podIsHardened() {
    Job job = build(evaluation());
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
    assertFalse(pod.getAutomountServiceAccountToken());
    assertEquals("foresight-worker", pod.getServiceAccountName());
    assertEquals("Never", pod.getRestartPolicy());
    var sc = worker(job).getSecurityContext();
    assertTrue(sc.getReadOnlyRootFilesystem());
    assertFalse(sc.getAllowPrivilegeEscalation());
    assertFalse(sc.getPrivileged());
    assertTrue(sc.getRunAsNonRoot());
    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
    assertEquals("FallbackToLogsOnError", worker(job).getTerminationMessagePolicy());
    assertEquals("/dev/termination-log", worker(job).getTerminationMessagePath());
    // Writable places: the scratch and tmp emptyDirs only.
    Map<String, String> writable = worker(job).getVolumeMounts().stream().filter(m -> !Boolean.TRUE.equals(m.getReadOnly()))
        .collect(java.util.stream.Collectors.toMap(VolumeMount::getMountPath, VolumeMount::getName));
    assertEquals(Map.of("/scratch", "scratch", "/tmp", "tmp"), writable);
    assertTrue(pod.getVolumes().stream().filter(v -> writable.containsValue(v.getName())).allMatch(v -> v.getEmptyDir() != null));
    assertEquals(Optional.of("/scratch"), env(worker(job), "HOME").map(EnvVar::getValue));
    assertEquals(Optional.of("/scratch/djl"), env(worker(job), "DJL_CACHE_DIR").map(EnvVar::getValue));
    assertEquals(Optional.of("true"), env(worker(job), "DJL_OFFLINE").map(EnvVar::getValue));
    assertFalse(io.fabric8.kubernetes.client.utils.Serialization.asJson(job).contains("\"command\""),
        "only args: the image's entrypoint runs the foresight CLI");
  }

  @Test
  void jobIsOwnedLabelledAndBounded() {
    ProbeEvaluation e = evaluation();
    Job job = build(e);
    assertEquals(JobNames.of(e), job.getMetadata().getName());
    assertEquals("pretrain", job.getMetadata().getNamespace());
    OwnerReference owner = job.getMetadata().getOwnerReferences().get(0);
    assertEquals("foresight.dev/v1alpha1", owner.getApiVersion());
    assertEquals("ProbeEvaluation", owner.getKind());
    assertEquals(e.getMetadata().getUid(), owner.getUid());
    assertTrue(owner.getController());
    assertEquals(Map.of("app.kubernetes.io/managed-by", "foresight-operator", "app.kubernetes.io/name", "foresight-worker",
        "foresight.dev/run", "olmo3-7b"), job.getMetadata().getLabels());
    assertEquals(job.getMetadata().getName(), job.getSpec().getTemplate().getMetadata().getLabels().get("foresight.dev/job"));
    assertEquals("olmo3-7b-step120000", job.getSpec().getTemplate().getMetadata().getAnnotations().get("foresight.dev/evaluation"));
    assertEquals(3600L, job.getSpec().getActiveDeadlineSeconds());
    assertEquals(1, job.getSpec().getBackoffLimit());
    assertEquals(86400, job.getSpec().getTtlSecondsAfterFinished());
    e.getSpec().setActiveDeadlineSeconds(600L);
    e.getSpec().setBackoffLimit(0);
    assertEquals(600L, build(e).getSpec().getActiveDeadlineSeconds());
    assertEquals(0, build(e).getSpec().getBackoffLimit());
  }

  @Test
  void deterministicWorkerFailuresFailTheJobWithoutRetry() {
    List<PodFailurePolicyRule> rules = build(evaluation()).getSpec().getPodFailurePolicy().getRules();
    assertEquals("FailJob", rules.get(0).getAction());
    assertEquals("worker", rules.get(0).getOnExitCodes().getContainerName());
    assertEquals(List.of(2, 3, 4), rules.get(0).getOnExitCodes().getValues());
    assertEquals("Ignore", rules.get(1).getAction());
    assertEquals("DisruptionTarget", rules.get(1).getOnPodConditions().get(0).getType());
  }

  @Test
  void argumentsAreTheWorkerContract() {
    ProbeEvaluation e = evaluation();
    e.getSpec().setValidation(new ValidationRun(8, null, 0.0));
    e.getSpec().setOutput("s3://results/olmo3-7b");
    e.getSpec().getCheckpoint().setCredentialsSecret("s3-creds");
    WorkerCommand expected = new WorkerCommand("pvc://checkpoints/olmo3-7b/step120000", "pvc://probes/olmo3-7b/v3",
        List.of("gsm8k", "mbpp"), "/dev/termination-log", "s3://results/olmo3-7b", "cuda", null, null, null,
        new WorkerCommand.Validation(8, 512, 0.0), 120000L);
    assertEquals(expected.toArgs(), worker(build(e)).getArgs());
  }
}
