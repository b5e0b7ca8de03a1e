package dev.foresight.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Follows one training run: finds each new ready checkpoint under a storage prefix and evaluates
 * it with a ProbeEvaluation of its own (name: monitor + step), backfilling those already there.
 * Its status keeps the run's recent trend, so the evaluations themselves can be pruned.
 */
@Group(ProbeEvaluation.GROUP)
@Version(ProbeEvaluation.VERSION)
@ShortNames("pm")
@AdditionalPrinterColumn(name = "Run", jsonPath = ".spec.run", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last step", jsonPath = ".status.lastSeenStep", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Evaluated", jsonPath = ".status.counts.succeeded", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Pass@1", jsonPath = ".status.latestMeanPassAt1", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ProbeMonitor extends CustomResource<ProbeMonitorSpec, ProbeMonitorStatus> implements Namespaced {
  private static final long serialVersionUID = 1L;

  @Override
  protected ProbeMonitorStatus initStatus() {
    return new ProbeMonitorStatus();
  }
}
