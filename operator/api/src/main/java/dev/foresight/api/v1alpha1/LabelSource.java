package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * Where the per-prompt pass rates come from: generated now on the checkpoints, or imported (from
 * lm-evaluation-harness sample logs, or from the validation runs of the ProbeMonitor that names the
 * checkpoints).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.generate) ? 1 : 0) + (has(self.lmEval) ? 1 : 0) + (has(self.monitorValidation) ? 1 : 0) == 1",
    message = LabelSource.EXACTLY_ONE)
public class LabelSource {
  public static final String EXACTLY_ONE = "set exactly one of labels.generate, labels.lmEval and labels.monitorValidation";

  private GeneratedLabels generate;

  @JsonProperty("lmEval")
  private ImportedLabels lmEval;

  @JsonPropertyDescription("Labels from the validation runs of the ProbeMonitor named by checkpoints.monitor (its"
      + " spec.validation.output keeps them); only its validated steps are labelled")
  private ValidationLabels monitorValidation;

  public LabelSource() {}

  public static LabelSource generate(GeneratedLabels g) {
    LabelSource s = new LabelSource();
    s.generate = g;
    return s;
  }

  public static LabelSource lmEval(ImportedLabels i) {
    LabelSource s = new LabelSource();
    s.lmEval = i;
    return s;
  }

  public static LabelSource monitorValidation(ValidationLabels v) {
    LabelSource s = new LabelSource();
    s.monitorValidation = v;
    return s;
  }

  /** Whether exactly one source is set (what the CRD's rule says). */
  public boolean exactlyOne() {
    return (generate != null ? 1 : 0) + (lmEval != null ? 1 : 0) + (monitorValidation != null ? 1 : 0) == 1;
  }

  /** Whether a stage pod imports the labels (one per checkpoint, CPU) rather than generating them. */
  public boolean imported() { return lmEval != null || monitorValidation != null; }

  public GeneratedLabels getGenerate() { return generate; }
  public void setGenerate(GeneratedLabels generate) { this.generate = generate; }
  public ImportedLabels getLmEval() { return lmEval; }
  public void setLmEval(ImportedLabels lmEval) { this.lmEval = lmEval; }
  public ValidationLabels getMonitorValidation() { return monitorValidation; }
  public void setMonitorValidation(ValidationLabels monitorValidation) { this.monitorValidation = monitorValidation; }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSource l && Objects.equals(generate, l.generate) && Objects.equals(lmEval, l.lmEval)
        && Objects.equals(monitorValidation, l.monitorValidation);
  }

  @Override
  public int hashCode() { return Objects.hash(generate, lmEval, monitorValidation); }
}
