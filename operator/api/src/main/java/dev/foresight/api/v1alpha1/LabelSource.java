package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Where the per-prompt pass rates come from: generated now on the checkpoints, or imported. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.generate) != has(self.lmEval)", message = "set exactly one of labels.generate and labels.lmEval")
public class LabelSource {
  private GeneratedLabels generate;

  @JsonProperty("lmEval")
  private ImportedLabels lmEval;

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

  public GeneratedLabels getGenerate() { return generate; }
  public void setGenerate(GeneratedLabels generate) { this.generate = generate; }
  public ImportedLabels getLmEval() { return lmEval; }
  public void setLmEval(ImportedLabels lmEval) { this.lmEval = lmEval; }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSource l && Objects.equals(generate, l.generate) && Objects.equals(lmEval, l.lmEval);
  }

  @Override
  public int hashCode() { return Objects.hash(generate, lmEval); }
}
