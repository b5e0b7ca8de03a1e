package dev.foresight.controller.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeSource;
import dev.foresight.api.v1alpha1.ProbeTraining;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.v1alpha1.ProbeTrainingStatus;
import dev.foresight.api.v1alpha1.TrainedBundle;
import dev.foresight.api.v1alpha1.TrainingProgress;
import dev.foresight.api.v1alpha1.TrainingStage;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeResolutionTest {
  static final String BUNDLE = "s3://bundles/olmo3-7b";

  static ProbeTraining training(Phase phase, TrainingStage stage, String credentialsSecret) {
    ProbeTraining t = new ProbeTraining();
    ProbeTrainingSpec spec = new ProbeTrainingSpec();
    spec.setCredentialsSecret(credentialsSecret);
    t.setSpec(spec);
    ProbeTrainingStatus status = new ProbeTrainingStatus();
    status.setPhase(phase);
    status.setStage(stage);
    if (phase == Phase.Succeeded) {
      status.setBundle(new TrainedBundle(BUNDLE, "sha256:ab", "mlp"));
    }
    t.setStatus(status);
    return t;
  }

  @Test
  void aUriIsReadyAsItIs() {
    ProbeSource uri = new ProbeSource("pvc://probes/v3");
    assertEquals(new ProbeResolution.Ready(uri, null), ProbeResolution.of(uri, "ns", Optional.empty(), null));
  }

  @Test
  void theWaitSaysWhereTheTrainingStands() {
    ProbeSource ref = ProbeSource.training("p");
    assertEquals(new ProbeResolution.Waiting("waiting for ProbeTraining p: not found in namespace ns"),
        ProbeResolution.of(ref, "ns", Optional.empty(), null));
    ProbeTraining created = new ProbeTraining();
    assertEquals(new ProbeResolution.Waiting("waiting for ProbeTraining p (not started)"),
        ProbeResolution.of(ref, "ns", Optional.of(created), null));
    ProbeTraining extracting = training(Phase.Running, TrainingStage.Extracting, null);
    TrainingProgress progress = new TrainingProgress();
    progress.setCheckpoints(4);
    progress.setCheckpointsExtracted(1);
    extracting.getStatus().setProgress(progress);
    assertEquals(new ProbeResolution.Waiting("waiting for ProbeTraining p (Extracting, 1/4 checkpoints extracted)"),
        ProbeResolution.of(ref, "ns", Optional.of(extracting), null));
    ProbeTraining noBundle = training(Phase.Succeeded, TrainingStage.Done, null);
    noBundle.getStatus().setBundle(null);
    assertEquals(new ProbeResolution.Waiting("waiting for ProbeTraining p (Done, succeeded but names no bundle yet)"),
        ProbeResolution.of(ref, "ns", Optional.of(noBundle), null));
  }

  @Test
  void aFailedTrainingGivesItsMessage() {
    ProbeTraining failed = training(Phase.Failed, TrainingStage.Labelling, null);
    failed.getStatus().setMessage("label shard 3 failed");
    assertEquals(new ProbeResolution.Failed("ProbeTraining p failed: label shard 3 failed"),
        ProbeResolution.of(ProbeSource.training("p"), "ns", Optional.of(failed), null));
  }

  @Test
  void theTrainingsSecretStandsInOnlyWhereTheEvaluationNamesNone() {
    ProbeTraining done = training(Phase.Succeeded, TrainingStage.Done, "training-creds");
    ProbeResolution.Ready plain = (ProbeResolution.Ready) ProbeResolution.of(ProbeSource.training("p"), "ns",
        Optional.of(done), null);
    assertEquals(BUNDLE, plain.probe().getUri());
    assertEquals("training-creds", plain.probe().getCredentialsSecret());
    assertEquals("sha256:ab", plain.fingerprint());

    ProbeSource own = ProbeSource.training("p");
    own.setCredentialsSecret("probe-creds");
    assertEquals("probe-creds", ((ProbeResolution.Ready) ProbeResolution.of(own, "ns", Optional.of(done), null))
        .probe().getCredentialsSecret());
    // The worker reads everything with the checkpoint's Secret then.
    assertEquals(null, ((ProbeResolution.Ready) ProbeResolution.of(ProbeSource.training("p"), "ns", Optional.of(done),
        "checkpoint-creds")).probe().getCredentialsSecret());
  }
}
