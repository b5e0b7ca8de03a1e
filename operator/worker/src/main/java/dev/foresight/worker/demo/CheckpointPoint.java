package dev.foresight.worker.demo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * What the demo measured on one checkpoint.
 *
 * @param labelled whether the probes were trained on this checkpoint's labels (its predictions are
 *     then in-sample and left out of every score)
 * @param trainingLoss mean training loss over the steps since the previous checkpoint (a baseline)
 * @param loadSeconds loading the checkpoint (the same for both paths)
 * @param generativeSeconds the generative path on every prompt: sampling, checking (load excluded);
 *     null when the labels were made by an earlier run that did not record it
 * @param probeSeconds per probe family, the probe path on the same prompts: one forward pass and
 *     the probe (load excluded)
 * @param tasks by task name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"step", "labelled", "trainingLoss", "loadSeconds", "generativeSeconds", "probeSeconds", "tasks"})
public record CheckpointPoint(int step, boolean labelled, Double trainingLoss, double loadSeconds,
    Double generativeSeconds, Map<String, Double> probeSeconds, Map<String, TaskPoint> tasks) {

  /**
   * One task on one checkpoint.
   *
   * @param actualPassAt1 from generation: the mean over prompts of each prompt's pass rate
   * @param answerBitsPerByte the gold answers' bits per byte (the cheap baseline; lower is better)
   * @param answerBitsAuroc how well each prompt's gold-answer bits per byte (negated) ranks the samples' outcomes
   * @param predicted per probe family
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"actualPassAt1", "answerBitsPerByte", "answerBitsAuroc", "predicted"})
  public record TaskPoint(double actualPassAt1, double answerBitsPerByte, Double answerBitsAuroc,
      Map<String, Prediction> predicted) {}

  /**
   * A probe's prediction of one task on one checkpoint.
   *
   * @param passAt1 predicted pass@1 (mean of the per-prompt probabilities)
   * @param low 95% bootstrap interval over prompts
   * @param auroc of the per-prompt probabilities against the samples' outcomes; null when every
   *     sample passed or every one failed
   * @param error |predicted − actual| pass@1
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Prediction(double passAt1, double low, double high, Double auroc, double error) {}
}
