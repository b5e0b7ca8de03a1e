package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One evaluated step of a monitored run, kept after its ProbeEvaluation is pruned. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrendPoint {
  private Long step;
  /** The ProbeEvaluation it came from. */
  private String evaluation;
  private Phase phase;
  /** Predicted pass@1 with its interval per task; actualPassAt1 where the step was validated. */
  private List<TaskResult> results;

  public TrendPoint() {}

  public TrendPoint(Long step, String evaluation, Phase phase, List<TaskResult> results) {
    this.step = step;
    this.evaluation = evaluation;
    this.phase = phase;
    this.results = results;
  }

  public Long getStep() { return step; }
  public void setStep(Long step) { this.step = step; }
  public String getEvaluation() { return evaluation; }
  public void setEvaluation(String evaluation) { this.evaluation = evaluation; }
  public Phase getPhase() { return phase; }
  public void setPhase(Phase phase) { this.phase = phase; }
  public List<TaskResult> getResults() { return results; }
  public void setResults(List<TaskResult> results) { this.results = results; }
}
