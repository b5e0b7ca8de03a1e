package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;

/** How far the labelling and extraction have got, for {@code kubectl get ptr} and dashboards. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingProgress {
  private Integer checkpoints;
  /** Label pods finished (checkpoints × shards when generating; checkpoints when importing). */
  private Integer shardsDone;
  private Integer shards;
  /** Prompts labelled so far, over all checkpoints; of {@link #promptsTotal}. */
  private Long promptsLabelled;
  private Long promptsTotal;
  /** Checkpoints whose features are extracted. */
  private Integer checkpointsExtracted;
  /** One line: the printer column. */
  private String summary;

  public Integer getCheckpoints() { return checkpoints; }
  public void setCheckpoints(Integer checkpoints) { this.checkpoints = checkpoints; }
  public Integer getShardsDone() { return shardsDone; }
  public void setShardsDone(Integer shardsDone) { this.shardsDone = shardsDone; }
  public Integer getShards() { return shards; }
  public void setShards(Integer shards) { this.shards = shards; }
  public Long getPromptsLabelled() { return promptsLabelled; }
  public void setPromptsLabelled(Long promptsLabelled) { this.promptsLabelled = promptsLabelled; }
  public Long getPromptsTotal() { return promptsTotal; }
  public void setPromptsTotal(Long promptsTotal) { this.promptsTotal = promptsTotal; }
  public Integer getCheckpointsExtracted() { return checkpointsExtracted; }
  public void setCheckpointsExtracted(Integer checkpointsExtracted) { this.checkpointsExtracted = checkpointsExtracted; }
  public String getSummary() { return summary; }
  public void setSummary(String summary) { this.summary = summary; }

  /** "5/8 shards, 1250/2000 prompts" style, from the counts. */
  public static String summarize(TrainingStage stage, TrainingProgress p) {
    if (p == null) {
      return null;
    }
    if (stage == TrainingStage.Extracting && p.checkpointsExtracted != null && p.checkpoints != null) {
      return String.format(Locale.ROOT, "%d/%d checkpoints extracted", p.checkpointsExtracted, p.checkpoints);
    }
    if (p.shards == null || p.shardsDone == null) {
      return null;
    }
    String shards = String.format(Locale.ROOT, "%d/%d shards", p.shardsDone, p.shards);
    return p.promptsTotal == null || p.promptsLabelled == null ? shards
        : String.format(Locale.ROOT, "%s, %d/%d prompts", shards, p.promptsLabelled, p.promptsTotal);
  }
}
