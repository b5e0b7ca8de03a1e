package dev.foresight.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One checkpoint, one probe bundle: predicted pass@1 per task. Like a Job, its spec is immutable;
 * to evaluate again, create a new resource.
 */
@Group(ProbeEvaluation.GROUP)
@Version(ProbeEvaluation.VERSION)
@ShortNames("pe")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Run", jsonPath = ".spec.checkpoint.run", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Step", jsonPath = ".spec.checkpoint.step", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Pass@1", jsonPath = ".status.results[0].predictedPassAt1",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Latency", jsonPath = ".status.latency.totalSeconds",
    type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ProbeEvaluation extends CustomResource<ProbeEvaluationSpec, ProbeEvaluationStatus>
    implements Namespaced {

  public static final String GROUP = "foresight.dev";
  public static final String VERSION = "v1alpha1";
  private static final long serialVersionUID = 1L;

  @Override
  protected ProbeEvaluationStatus initStatus() {
    return new ProbeEvaluationStatus();
  }
}
