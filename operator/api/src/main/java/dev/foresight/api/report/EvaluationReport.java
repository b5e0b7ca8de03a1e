package dev.foresight.api.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.foresight.api.v1alpha1.CheckpointSummary;
import dev.foresight.api.v1alpha1.Latency;
import dev.foresight.api.v1alpha1.TaskResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What the worker hands the controller through the termination message (at most 4096 bytes,
 * see {@link ReportCodec}). The field names are the contract between worker and controller; the
 * per-task results and the checkpoint summary are the same classes the status carries.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"v", "checkpoint", "results", "latency", "truncated"})
public class EvaluationReport {
  public static final int CURRENT_VERSION = 1;

  private Integer v = CURRENT_VERSION;
  private CheckpointSummary checkpoint;
  private List<TaskResult> results = new ArrayList<>();
  private Latency latency;
  /** True when fields or tasks were dropped to fit the size limit; the full output is in spec.output. */
  private Boolean truncated = false;

  public Integer getV() { return v; }
  public void setV(Integer v) { this.v = v; }
  public CheckpointSummary getCheckpoint() { return checkpoint; }
  public void setCheckpoint(CheckpointSummary checkpoint) { this.checkpoint = checkpoint; }
  public List<TaskResult> getResults() { return results; }
  public void setResults(List<TaskResult> results) { this.results = results; }
  public Latency getLatency() { return latency; }
  public void setLatency(Latency latency) { this.latency = latency; }
  public Boolean getTruncated() { return truncated; }
  public void setTruncated(Boolean truncated) { this.truncated = truncated; }

  public boolean isTruncated() { return Boolean.TRUE.equals(truncated); }
}
