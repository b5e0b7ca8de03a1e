package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Objects;

/**
 * The probes to train and how; every field defaults as {@code foresight train} and
 * {@code foresight extract} do. Each family is trained; the simplest within one standard error of the
 * best mean AUROC on the newest labelled checkpoint, scored by a head trained without it, becomes the
 * bundle.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingSettings {
  public static final String FAMILY_PATTERN = "^(linear|mlp|attention|submodel)$";
  public static final String POOLING_PATTERN = "^(last|mean|answer|all|all-with-answer)$";

  @Size(min = 1, max = 4)
  @JsonPropertyDescription("Probe families to train: linear, mlp, attention, submodel; default linear and mlp")
  private List<@Pattern(FAMILY_PATTERN) String> families;

  @Size(min = 1, max = 16)
  @JsonPropertyDescription("Hidden-state indices read (0 = embeddings, negative counts back from after the final norm); default the CLI's")
  private List<Integer> layers;

  @Pattern(POOLING_PATTERN)
  @JsonPropertyDescription("Pooling of the linear and mlp probes' features (attention and submodel read every position); default the CLI's")
  private String pooling;

  @Min(value = 0, inclusive = false)
  @Max(value = 1, inclusive = false)
  @JsonPropertyDescription("Share of each task's prompts held out for early stopping and metrics; default the CLI's")
  private Double heldOut;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("The newest labelled checkpoints left out of training, on which the probe's checkpoint-level"
      + " pass@1 error is measured (the paradigm's later checkpoints); default 1 when 3 or more are labelled, else 0")
  private Integer heldOutCheckpoints;

  @Min(0)
  @JsonPropertyDescription("Initialisation, split and shuffling; default 0")
  private Long seed;

  @Min(1)
  @Max(10000)
  @JsonPropertyDescription("Most epochs; default by family")
  private Integer epochs;

  public List<String> getFamilies() { return families; }
  public void setFamilies(List<String> families) { this.families = families; }
  public List<Integer> getLayers() { return layers; }
  public void setLayers(List<Integer> layers) { this.layers = layers; }
  public String getPooling() { return pooling; }
  public void setPooling(String pooling) { this.pooling = pooling; }
  public Double getHeldOut() { return heldOut; }
  public void setHeldOut(Double heldOut) { this.heldOut = heldOut; }
  public Integer getHeldOutCheckpoints() { return heldOutCheckpoints; }
  public void setHeldOutCheckpoints(Integer heldOutCheckpoints) { this.heldOutCheckpoints = heldOutCheckpoints; }
  public Long getSeed() { return seed; }
  public void setSeed(Long seed) { this.seed = seed; }
  public Integer getEpochs() { return epochs; }
  public void setEpochs(Integer epochs) { this.epochs = epochs; }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingSettings t && Objects.equals(families, t.families) && Objects.equals(layers, t.layers)
        && Objects.equals(pooling, t.pooling) && Objects.equals(heldOut, t.heldOut)
        && Objects.equals(heldOutCheckpoints, t.heldOutCheckpoints) && Objects.equals(seed, t.seed)
        && Objects.equals(epochs, t.epochs);
  }

  @Override
  public int hashCode() { return Objects.hash(families, layers, pooling, heldOut, heldOutCheckpoints, seed, epochs); }
}
