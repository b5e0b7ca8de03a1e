package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/** One task's prediction: in the worker's report and, unchanged, in the resource's status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TaskResult {
  private String task;
  /** Mean over the prompt set of the probe's per-prompt success probability. */
  private Double predictedPassAt1;
  /** Bootstrap 95% interval of predictedPassAt1 over prompts: [low, high]. */
  private List<Double> ci95;
  private Integer prompts;
  /** Teacher-forced bits per byte of the gold answers: a cheap baseline beside the probe. */
  private Double answerBitsPerByte;
  /** Measured pass@1 of the generative evaluation; only with spec.validation. */
  private Double actualPassAt1;

  public TaskResult() {}

  public TaskResult(String task, Double predictedPassAt1, List<Double> ci95, Integer prompts) {
    this.task = task;
    this.predictedPassAt1 = predictedPassAt1;
    this.ci95 = ci95;
    this.prompts = prompts;
  }

  public String getTask() { return task; }
  public void setTask(String task) { this.task = task; }
  public Double getPredictedPassAt1() { return predictedPassAt1; }
  public void setPredictedPassAt1(Double predictedPassAt1) { this.predictedPassAt1 = predictedPassAt1; }
  public List<Double> getCi95() { return ci95; }
  public void setCi95(List<Double> ci95) { this.ci95 = ci95; }
  public Integer getPrompts() { return prompts; }
  public void setPrompts(Integer prompts) { this.prompts = prompts; }
  public Double getAnswerBitsPerByte() { return answerBitsPerByte; }
  public void setAnswerBitsPerByte(Double answerBitsPerByte) { this.answerBitsPerByte = answerBitsPerByte; }
  public Double getActualPassAt1() { return actualPassAt1; }
  public void setActualPassAt1(Double actualPassAt1) { this.actualPassAt1 = actualPassAt1; }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskResult t && Objects.equals(task, t.task)
        && Objects.equals(predictedPassAt1, t.predictedPassAt1) && Objects.equals(ci95, t.ci95)
        && Objects.equals(prompts, t.prompts) && Objects.equals(answerBitsPerByte, t.answerBitsPerByte)
        && Objects.equals(actualPassAt1, t.actualPassAt1);
  }

  @Override
  public int hashCode() { return Objects.hash(task, predictedPassAt1, ci95, prompts, answerBitsPerByte, actualPassAt1); }
}
