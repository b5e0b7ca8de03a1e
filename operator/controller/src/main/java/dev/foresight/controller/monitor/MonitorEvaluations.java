package dev.foresight.controller.monitor;

import dev.foresight.api.StorageUri;
import dev.foresight.api.v1alpha1.CheckpointSource;
import dev.foresight.api.v1alpha1.PeriodicValidation;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationSpec;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeMonitorSpec;
import dev.foresight.controller.job.WorkerLabels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;
import java.util.Optional;

/**
 * The ProbeEvaluations a monitor makes: one per checkpoint, named by monitor and step so that a
 * restart, a second scan or a second replica asking again hits "already exists" instead of making
 * a second one; owned by the monitor (deleting the monitor deletes them) and labelled with it (which
 * is also how a trainer's callback hands the monitor one of its own).
 */
final class MonitorEvaluations {
  private MonitorEvaluations() {}

  /**
   * {@code <monitor>-<step>}. A valid monitor's name is a DNS subdomain of at most 63 characters
   * ({@link MonitorValidator}), so this is one too, far below the 253 allowed.
   */
  static String name(String monitor, long step) {
    return monitor + "-" + step;
  }

  /** The evaluation of one checkpoint, as the monitor's spec says now. */
  static ProbeEvaluationSpec spec(ProbeMonitorSpec monitor, String checkpointUri, long step, boolean validate) {
    CheckpointSource checkpoint = new CheckpointSource(checkpointUri, monitor.getRun(), step);
    checkpoint.setCredentialsSecret(monitor.getCheckpoints() == null ? null : monitor.getCheckpoints().getCredentialsSecret());
    ProbeEvaluationSpec spec = new ProbeEvaluationSpec();
    spec.setCheckpoint(checkpoint);
    spec.setProbe(monitor.getProbe());
    spec.setTasks(monitor.getTasks());
    spec.setRuntime(monitor.getRuntime());
    if (validate && monitor.getValidation() != null) {
      spec.setValidation(monitor.getValidation().run());
      // Kept so that a ProbeTraining can take the outcomes as labels (labels.monitorValidation).
      if (monitor.getValidation().getOutput() != null) {
        spec.setOutput(PeriodicValidation.outputOf(monitor.getValidation().getOutput(), step));
      }
    }
    return spec;
  }

  /**
   * @param path the checkpoint's folder under the prefix, as the scan reported it
   * @param made how many evaluations the monitor has made before this one: every
   *     spec.validation.every-th one (the first included) also runs the generative check
   */
  static ProbeEvaluation build(ProbeMonitor monitor, long step, String path, long made) {
    ProbeMonitorSpec spec = monitor.getSpec();
    String uri = StorageUri.parse("spec.checkpoints.uri", spec.getCheckpoints().getUri()).resolve(path).toString();
    boolean validate = spec.getValidation() != null && made % spec.getValidation().getEvery() == 0;
    ProbeEvaluation evaluation = new ProbeEvaluation();
    evaluation.setMetadata(new ObjectMetaBuilder()
        .withName(name(monitor.getMetadata().getName(), step))
        .withNamespace(monitor.getMetadata().getNamespace())
        .withLabels(Map.of(WorkerLabels.MONITOR, monitor.getMetadata().getName(), WorkerLabels.RUN, spec.getRun()))
        .withOwnerReferences(ownerReference(monitor, true))
        .build());
    evaluation.setSpec(spec(spec, uri, step, validate));
    return evaluation;
  }

  /**
   * @param controller false when adopting an evaluation that another controller already owns
   */
  static OwnerReference ownerReference(ProbeMonitor monitor, boolean controller) {
    return new OwnerReferenceBuilder()
        .withApiVersion(monitor.getApiVersion())
        .withKind(monitor.getKind())
        .withName(monitor.getMetadata().getName())
        .withUid(monitor.getMetadata().getUid())
        .withController(controller)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** The step an evaluation is of, from its spec (never its name: a pushed one may be named anything). */
  static Optional<Long> step(ProbeEvaluation evaluation) {
    return Optional.ofNullable(evaluation.getSpec()).map(ProbeEvaluationSpec::getCheckpoint).map(CheckpointSource::getStep);
  }
}
