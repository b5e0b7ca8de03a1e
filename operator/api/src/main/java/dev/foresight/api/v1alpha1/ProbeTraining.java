package dev.foresight.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Builds a probe bundle in the cluster: labels earlier checkpoints (generating on GPU pods, or
 * importing lm-evaluation-harness sample logs), extracts their hidden states and trains the probe
 * families, each stage a Job on the worker image. ProbeEvaluations and ProbeMonitors use the
 * result through {@code probe.trainingRef}. Like a Job, its spec is immutable.
 */
@Group(ProbeEvaluation.GROUP)
@Version(ProbeEvaluation.VERSION)
@ShortNames("ptr")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Run", jsonPath = ".spec.run", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Stage", jsonPath = ".status.stage", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.progress.summary", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "AUROC", jsonPath = ".status.bestHeldOutAuroc", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ProbeTraining extends CustomResource<ProbeTrainingSpec, ProbeTrainingStatus> implements Namespaced {
  private static final long serialVersionUID = 1L;

  @Override
  protected ProbeTrainingStatus initStatus() {
    return new ProbeTrainingStatus();
  }
}
