package dev.foresight.worker.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.foresight.worker.scoring.PassAt1Interval;
import dev.foresight.worker.scoring.ProbeMetrics;
import java.util.List;

/**
 * One task's result.
 *
 * @param predicted predicted pass@1 with its bootstrap interval over prompts
 * @param answerBitsPerByte the gold answers' bits per byte (the cheap baseline beside the probe)
 * @param validation with --validate: how the probe did against generation on this checkpoint
 *     (actual pass@1 is {@code validation.actualPassAt1()})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"task", "predicted", "answerBitsPerByte", "validation", "prompts"})
public record TaskEvaluation(String task, PassAt1Interval predicted, double answerBitsPerByte, ProbeMetrics validation,
    List<PromptPrediction> prompts) {

  public Double actualPassAt1() { return validation == null ? null : validation.actualPassAt1(); }
}
