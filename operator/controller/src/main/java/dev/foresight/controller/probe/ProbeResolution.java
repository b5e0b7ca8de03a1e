package dev.foresight.controller.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationSpec;
import dev.foresight.api.v1alpha1.ProbeSource;
import dev.foresight.api.v1alpha1.ProbeTraining;
import dev.foresight.api.v1alpha1.ProbeTrainingStatus;
import dev.foresight.api.v1alpha1.TrainedBundle;
import dev.foresight.api.v1alpha1.TrainingProgress;
import java.util.Optional;

/**
 * What a {@code probe} stands for now: a bundle the worker can read, or, for a
 * {@code probe.trainingRef}, a training still under way (or missing), or one that failed. A probe
 * with a URI is ready as it is.
 */
public sealed interface ProbeResolution {
  /** Scheduled=False reason of an evaluation, and ProbeReady=False reason of a monitor, while the training is not done. */
  String WAITING_FOR_TRAINING = "WaitingForTraining";

  /**
   * @param probe the probe with a bundle URI, as the worker Job takes it
   * @param fingerprint the bundle's, as its training reported it; null for a probe given by URI
   */
  record Ready(ProbeSource probe, String fingerprint) implements ProbeResolution {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The evaluation as its worker Job is built and checked: the same resource with a copy of its
     * spec holding this probe (the spec itself is the user's record and stays as written).
     */
    public ProbeEvaluation applyTo(ProbeEvaluation evaluation) {
      ProbeEvaluationSpec spec = MAPPER.convertValue(evaluation.getSpec(), ProbeEvaluationSpec.class);
      spec.setProbe(probe);
      ProbeEvaluation runnable = new ProbeEvaluation();
      runnable.setMetadata(evaluation.getMetadata());
      runnable.setSpec(spec);
      return runnable;
    }
  }

  record Waiting(String message) implements ProbeResolution {}

  record Failed(String message) implements ProbeResolution {}

  /**
   * @param training the ProbeTraining named by probe.trainingRef, from the cache (ignored for a probe with a URI)
   * @param checkpointSecret the checkpoint's credentials Secret, or null
   */
  static ProbeResolution of(ProbeSource probe, String namespace, Optional<ProbeTraining> training,
      String checkpointSecret) {
    String ref = probe.getTrainingRef();
    if (ref == null) {
      return new Ready(probe, null);
    }
    if (training.isEmpty()) {
      return new Waiting("waiting for ProbeTraining " + ref + ": not found in namespace " + namespace);
    }
    ProbeTrainingStatus status = training.get().getStatus();
    Phase phase = status == null ? null : status.getPhase();
    if (phase == Phase.Failed) {
      return new Failed("ProbeTraining " + ref + " failed: "
          + (status.getMessage() == null ? "(it gives no message)" : status.getMessage()));
    }
    TrainedBundle bundle = status == null ? null : status.getBundle();
    if (phase != Phase.Succeeded || bundle == null || bundle.getUri() == null) {
      return new Waiting("waiting for ProbeTraining " + ref + " (" + progress(status) + ")");
    }
    ProbeSource resolved = new ProbeSource(bundle.getUri());
    // The worker takes one set of S3 credentials, the checkpoint's first: the training's Secret
    // stands in only where the evaluation names none.
    resolved.setCredentialsSecret(probe.getCredentialsSecret() != null ? probe.getCredentialsSecret()
        : checkpointSecret == null ? training.get().getSpec() == null ? null : training.get().getSpec().getCredentialsSecret()
        : null);
    return new Ready(resolved, bundle.getFingerprint());
  }

  /** "Labelling, 5/8 shards, 1250/2000 prompts", or as much of it as the training has said. */
  static String progress(ProbeTrainingStatus status) {
    if (status == null || status.getPhase() == null) {
      return "not started";
    }
    StringBuilder s = new StringBuilder(status.getStage() != null ? status.getStage().name() : status.getPhase().name());
    String summary = status.getProgress() == null ? null : status.getProgress().getSummary() != null
        ? status.getProgress().getSummary() : TrainingProgress.summarize(status.getStage(), status.getProgress());
    if (summary != null) {
      s.append(", ").append(summary);
    }
    if (status.getPhase() == Phase.Succeeded) {
      s.append(", succeeded but names no bundle yet");
    }
    return s.toString();
  }
}
