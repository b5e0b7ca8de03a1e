package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The latest validated step of a task: what the probe predicted against what generation measured. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Drift {
  private String task;
  private Long step;
  private Double predictedPassAt1;
  private Double actualPassAt1;
  /** predicted − actual. */
  private Double error;

  public Drift() {}

  public Drift(String task, Long step, Double predictedPassAt1, Double actualPassAt1) {
    this.task = task;
    this.step = step;
    this.predictedPassAt1 = predictedPassAt1;
    this.actualPassAt1 = actualPassAt1;
    this.error = predictedPassAt1 == null || actualPassAt1 == null ? null : predictedPassAt1 - actualPassAt1;
  }

  public String getTask() { return task; }
  public void setTask(String task) { this.task = task; }
  public Long getStep() { return step; }
  public void setStep(Long step) { this.step = step; }
  public Double getPredictedPassAt1() { return predictedPassAt1; }
  public void setPredictedPassAt1(Double predictedPassAt1) { this.predictedPassAt1 = predictedPassAt1; }
  public Double getActualPassAt1() { return actualPassAt1; }
  public void setActualPassAt1(Double actualPassAt1) { this.actualPassAt1 = actualPassAt1; }
  public Double getError() { return error; }
  public void setError(Double error) { this.error = error; }
}
