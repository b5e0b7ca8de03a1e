package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * Generative labels: samples per prompt checked by the task's checker, spread over an Indexed Job
 * of checkpoints × shards. The sampling fields are a validation run's; the defaults are the CLI's
 * {@code foresight label} defaults. Every prompt has its own seed derived from {@code seed}, so the
 * shards merge to exactly what one unsharded run writes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GeneratedLabels extends ValidationRun {
  public static final int DEFAULT_SHARDS = 1;
  public static final int DEFAULT_PARALLELISM = 4;

  @Min(value = 0, inclusive = false)
  @Max(1)
  @JsonPropertyDescription("Nucleus sampling: keep the smallest set of tokens whose probability reaches top-p; default 1")
  private Double topP;

  @Min(0)
  @JsonPropertyDescription("Seed of every prompt's sampling; default 0")
  private Long seed;

  @Min(1)
  @Max(256)
  @JsonPropertyDescription("Shards per checkpoint: the labelling Job has checkpoints × shards pods; default 1")
  private Integer shardsPerCheckpoint;

  @Min(1)
  @Max(1024)
  @JsonPropertyDescription("Label pods running at once (the Indexed Job's parallelism); default 4")
  private Integer parallelism;

  public Double getTopP() { return topP; }
  public void setTopP(Double topP) { this.topP = topP; }
  public Long getSeed() { return seed; }
  public void setSeed(Long seed) { this.seed = seed; }
  public Integer getShardsPerCheckpoint() { return shardsPerCheckpoint; }
  public void setShardsPerCheckpoint(Integer shardsPerCheckpoint) { this.shardsPerCheckpoint = shardsPerCheckpoint; }
  public Integer getParallelism() { return parallelism; }
  public void setParallelism(Integer parallelism) { this.parallelism = parallelism; }

  public int shards() { return shardsPerCheckpoint == null ? DEFAULT_SHARDS : shardsPerCheckpoint; }
  public int parallelismOrDefault() { return parallelism == null ? DEFAULT_PARALLELISM : parallelism; }

  @Override
  public boolean equals(Object o) {
    return o instanceof GeneratedLabels g && super.equals(o) && Objects.equals(topP, g.topP) && Objects.equals(seed, g.seed)
        && Objects.equals(shardsPerCheckpoint, g.shardsPerCheckpoint) && Objects.equals(parallelism, g.parallelism);
  }

  @Override
  public int hashCode() { return Objects.hash(super.hashCode(), topP, seed, shardsPerCheckpoint, parallelism); }
}
