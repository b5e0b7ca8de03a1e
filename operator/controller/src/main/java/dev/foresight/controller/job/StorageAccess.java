package dev.foresight.controller.job;

import dev.foresight.api.StorageUri;
import dev.foresight.api.training.TrainingPlan;
import dev.foresight.api.v1alpha1.ProbeEvaluationSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a worker or scan pod needs to reach its storage: each distinct PVC mounted at
 * {@code /mnt/pvc/<claim>} (read-only, except the claim that receives spec.output), and for s3://
 * the AWS_* variables from the credentials Secret. The worker is given the user's URIs unchanged.
 */
final class StorageAccess {
  static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";
  static final String REGION = "AWS_REGION";

  private final Map<String, Boolean> claimsReadOnly = new LinkedHashMap<>();
  private final String s3Secret;

  /** {@code spec} must have passed {@link dev.foresight.controller.validate.SpecValidator}. */
  static StorageAccess of(ProbeEvaluationSpec spec) {
    StorageUri checkpoint = StorageUri.parse("spec.checkpoint.uri", spec.getCheckpoint().getUri());
    StorageUri probe = StorageUri.parse("spec.probe.uri", spec.getProbe().getUri());
    StorageUri output = spec.getOutput() == null ? null : StorageUri.parse("spec.output", spec.getOutput());
    String secret = spec.getCheckpoint().getCredentialsSecret() != null
        ? spec.getCheckpoint().getCredentialsSecret()
        : spec.getProbe().getCredentialsSecret();
    return new StorageAccess(List.of(checkpoint, probe), output, secret);
  }

  /** Read-only access to one prefix, as a ProbeMonitor's scan pod needs it. */
  static StorageAccess readOnly(StorageUri prefix, String credentialsSecret) {
    return new StorageAccess(List.of(prefix), null, credentialsSecret);
  }

  /**
   * What every stage pod of a training reaches: the labelled checkpoints (or the monitor's prefix),
   * the task files and the imported sample logs (or the monitor's validation outputs) read-only;
   * the bundle's location read-write, with the work folder beside it ({@code <output>.work/...}, on
   * the same claim or bucket). The plan's spec must have passed the training's validation.
   */
  static StorageAccess of(TrainingPlan plan, String credentialsSecret) {
    List<StorageUri> inputs = new ArrayList<>();
    if (plan.checkpoints() != null) {
      for (int i = 0; i < plan.checkpoints().size(); i++) {
        inputs.add(StorageUri.parse("spec.checkpoints.list[" + i + "].uri", plan.checkpoints().get(i).getUri()));
      }
    } else {
      inputs.add(StorageUri.parse("checkpoints.monitor's prefix", plan.prefix().getUri()));
    }
    inputs.add(StorageUri.parse("spec.tasks.uri", plan.tasks().getUri()));
    if (plan.labels().getLmEval() != null) {
      inputs.add(StorageUri.parse("spec.labels.lmEval.uri", plan.labels().getLmEval().getUri()));
    }
    if (plan.validationOutput() != null) {
      inputs.add(StorageUri.parse("the monitor's spec.validation.output", plan.validationOutput()));
    }
    return new StorageAccess(inputs, StorageUri.parse("spec.output.uri", plan.output().getUri()), credentialsSecret);
  }

  /**
   * @param inputs mounted read-only
   * @param output null, or the one location written (its claim mounted read-write)
   * @param secret the S3 credentials, passed only when some location is s3://
   */
  private StorageAccess(List<StorageUri> inputs, StorageUri output, String secret) {
    for (StorageUri input : inputs) {
      if (input.scheme() == StorageUri.Scheme.PVC) {
        claimsReadOnly.putIfAbsent(input.authority(), true);
      }
    }
    if (output != null && output.scheme() == StorageUri.Scheme.PVC) {
      claimsReadOnly.put(output.authority(), false);
    }
    boolean usesS3 = Stream.concat(inputs.stream(), Stream.ofNullable(output))
        .anyMatch(uri -> uri.scheme() == StorageUri.Scheme.S3);
    this.s3Secret = usesS3 ? secret : null;
  }

  /** One volume per claim; claim names may be 63 characters long, volume names too, so they are numbered. */
  private record Claim(String name, boolean readOnly, String volume) {}

  private List<Claim> claims() {
    List<Claim> claims = new ArrayList<>();
    claimsReadOnly.forEach((name, readOnly) -> claims.add(new Claim(name, readOnly, "pvc-" + claims.size())));
    return claims;
  }

  List<Volume> volumes() {
    return claims().stream()
        .map(c -> new VolumeBuilder().withName(c.volume()).withNewPersistentVolumeClaim(c.name(), c.readOnly()).build())
        .toList();
  }

  List<VolumeMount> mounts() {
    return claims().stream()
        .map(c -> new VolumeMountBuilder().withName(c.volume())
            .withMountPath(StorageUri.PVC_MOUNT_ROOT + "/" + c.name()).withReadOnly(c.readOnly()).build())
        .toList();
  }

  List<EnvVar> env() {
    if (s3Secret == null) {
      return List.of();
    }
    return List.of(
        fromSecret(ACCESS_KEY_ID, false),
        fromSecret(SECRET_ACCESS_KEY, false),
        fromSecret(ENDPOINT_URL, true),
        fromSecret(REGION, true));
  }

  private EnvVar fromSecret(String key, boolean optional) {
    return new EnvVarBuilder()
        .withName(key)
        .withNewValueFrom()
        .withNewSecretKeyRef(key, s3Secret, optional)
        .endValueFrom()
        .build();
  }
}
