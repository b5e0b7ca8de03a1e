package dev.foresight.worker.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One prompt's result in the full output: the probe's probability of success, the gold answer's
 * teacher-forced cost, and with validation what generation found.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PromptPrediction(String id, double predicted, double answerBits, long answerBytes, Integer passed,
    Integer samples) {}
