package dev.foresight.controller.support;

import dev.foresight.api.v1alpha1.BundleOutput;
import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeTraining;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.v1alpha1.ProbeTrainingStatus;
import dev.foresight.api.v1alpha1.TrainedBundle;
import dev.foresight.api.v1alpha1.TrainingProgress;
import dev.foresight.api.v1alpha1.TrainingStage;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * ProbeTrainings as the evaluation and monitor controllers see them. Their own controller is not
 * what these tests are about: the test writes each training's status as that controller would.
 */
public final class TrainingStatuses {
  public static final String FINGERPRINT = "sha256:" + "cd".repeat(32);

  private final KubernetesClient client;

  public TrainingStatuses(KubernetesClient client) {
    this.client = client;
  }

  /** A training of run {@link Fixtures#RUN} writing its bundle to {@code bundleUri}. */
  public ProbeTraining create(String namespace, String name, String bundleUri, String credentialsSecret) {
    ProbeTrainingSpec spec = new ProbeTrainingSpec();
    spec.setRun(Fixtures.RUN);
    spec.setOutput(new BundleOutput(bundleUri));
    spec.setCredentialsSecret(credentialsSecret);
    ProbeTraining training = new ProbeTraining();
    training.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    training.setSpec(spec);
    return client.resource(training).create();
  }

  /** Labelling, {@code done} of {@code shards} label shards finished. */
  public ProbeTraining labelling(String namespace, String name, int done, int shards) {
    ProbeTrainingStatus status = new ProbeTrainingStatus();
    status.setPhase(Phase.Running);
    status.setStage(TrainingStage.Labelling);
    TrainingProgress progress = new TrainingProgress();
    progress.setShardsDone(done);
    progress.setShards(shards);
    progress.setSummary(TrainingProgress.summarize(TrainingStage.Labelling, progress));
    status.setProgress(progress);
    return write(namespace, name, status);
  }

  public ProbeTraining succeeded(String namespace, String name) {
    ProbeTraining training = get(namespace, name);
    ProbeTrainingStatus status = new ProbeTrainingStatus();
    status.setPhase(Phase.Succeeded);
    status.setStage(TrainingStage.Done);
    status.setBundle(new TrainedBundle(training.getSpec().getOutput().getUri(), FINGERPRINT, "linear"));
    status.setMessage("trained linear: held-out AUROC 0.81");
    return write(namespace, name, status);
  }

  public ProbeTraining failed(String namespace, String name, String message) {
    ProbeTrainingStatus status = new ProbeTrainingStatus();
    status.setPhase(Phase.Failed);
    status.setStage(TrainingStage.Labelling);
    status.setMessage(message);
    return write(namespace, name, status);
  }

  public ProbeTraining get(String namespace, String name) {
    return client.resources(ProbeTraining.class).inNamespace(namespace).withName(name).get();
  }

  private ProbeTraining write(String namespace, String name, ProbeTrainingStatus status) {
    ProbeTraining training = get(namespace, name);
    training.setStatus(status);
    return client.resource(training).updateStatus();
  }
}
