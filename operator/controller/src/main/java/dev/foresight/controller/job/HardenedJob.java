package dev.foresight.controller.job;

import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.controller.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Job every pod on the worker image runs in, whatever it does (evaluate a checkpoint, scan a
 * prefix): owned by the resource it serves, deterministic name, one non-root container with a
 * read-only root filesystem and no capabilities, no API token, the user's storage mounted as
 * {@link StorageAccess} says, and the program's report in the termination message (or, should it
 * die first, its log's tail). The callers add only what is theirs.
 */
final class HardenedJob {
  /**
   * What differs between the callers.
   *
   * @param labels on the Job and its pods; the pods also get {@link WorkerLabels#JOB}
   * @param annotations on the Job and its pods
   * @param container the container's name (pod failure policies refer to it)
   */
  record Parts(
      String name,
      HasMetadata owner,
      Map<String, String> labels,
      Map<String, String> annotations,
      String container,
      String image,
      List<String> args,
      ResourceRequirements resources,
      StorageAccess storage,
      int backoffLimit,
      long activeDeadlineSeconds) {}

  private final OperatorConfig config;

  HardenedJob(OperatorConfig config) {
    this.config = config;
  }

  Job build(Parts parts) {
    Map<String, String> podLabels = new LinkedHashMap<>(parts.labels());
    podLabels.put(WorkerLabels.JOB, parts.name());
    List<Volume> volumes = new ArrayList<>(List.of(emptyDir("scratch"), emptyDir("tmp")));
    volumes.addAll(parts.storage().volumes());
    List<EnvVar> env = new ArrayList<>(List.of(
        env("HOME", WorkerJobBuilder.SCRATCH),
        env("DJL_CACHE_DIR", WorkerJobBuilder.SCRATCH + "/djl"),
        env("DJL_OFFLINE", "true")));
    env.addAll(parts.storage().env());
    List<VolumeMount> mounts = new ArrayList<>(List.of(mount("scratch", WorkerJobBuilder.SCRATCH),
        mount("tmp", WorkerJobBuilder.TMP)));
    mounts.addAll(parts.storage().mounts());
    HasMetadata owner = parts.owner();
    return new JobBuilder()
        .withNewMetadata()
          .withName(parts.name())
          .withNamespace(owner.getMetadata().getNamespace())
          .withLabels(new LinkedHashMap<>(parts.labels()))
          .withAnnotations(new LinkedHashMap<>(parts.annotations()))
          .withOwnerReferences(controllerReference(owner))
        .endMetadata()
        .withNewSpec()
          .withBackoffLimit(parts.backoffLimit())
          .withActiveDeadlineSeconds(parts.activeDeadlineSeconds())
          .withTtlSecondsAfterFinished(config.jobTtlSeconds())
          .withNewTemplate()
            .withNewMetadata().withLabels(podLabels).withAnnotations(new LinkedHashMap<>(parts.annotations())).endMetadata()
            .withNewSpec()
              .withRestartPolicy("Never")
              .withServiceAccountName(config.workerServiceAccount())
              // The pod needs no API access; a mounted token would only be something to steal.
              .withAutomountServiceAccountToken(false)
              .withEnableServiceLinks(false)
              .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(WorkerJobBuilder.WORKER_UID)
                .withRunAsGroup(WorkerJobBuilder.WORKER_UID)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
              .endSecurityContext()
              .addNewContainer()
                .withName(parts.container())
                .withImage(parts.image())
                .withImagePullPolicy(config.workerImagePullPolicy())
                .withArgs(parts.args())
                .withEnv(env)
                .withResources(parts.resources())
                .withVolumeMounts(mounts)
                .withTerminationMessagePath(WorkerCommand.TERMINATION_LOG)
                // A program that dies before writing its message still leaves its last log lines.
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewSecurityContext()
                  .withAllowPrivilegeEscalation(false)
                  .withPrivileged(false)
                  .withReadOnlyRootFilesystem(true)
                  .withRunAsNonRoot(true)
                  .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
              .endContainer()
              .withVolumes(volumes)
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * {@code owner} controls what the operator makes for it: deleting the owner deletes it, and
   * blockOwnerDeletion keeps the owner until it is gone (foreground deletion).
   */
  static OwnerReference controllerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static Volume emptyDir(String name) {
    return new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build();
  }

  private static VolumeMount mount(String name, String path) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).build();
  }
}
