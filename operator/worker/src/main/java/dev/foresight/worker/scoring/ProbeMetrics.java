package dev.foresight.worker.scoring;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.OptionalDouble;

/**
 * How well a probe's per-prompt predictions match labelled outcomes on one prompt set.
 *
 * @param prompts prompt count
 * @param samples sample count (the unit of AUROC, Brier and ECE)
 * @param auroc null when undefined: every sample passed or every sample failed
 * @param mse against per-prompt pass rates
 * @param brier against per-sample outcomes
 * @param ece expected calibration error over samples
 * @param predictedPassAt1 mean prediction
 * @param actualPassAt1 mean pass rate
 * @param passAt1Error |predicted − actual| pass@1: the checkpoint-level error
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"prompts", "samples", "auroc", "mse", "brier", "ece", "predictedPassAt1", "actualPassAt1", "passAt1Error"})
public record ProbeMetrics(int prompts, long samples, Double auroc, double mse, double brier, double ece,
    double predictedPassAt1, double actualPassAt1, double passAt1Error) {

  public static ProbeMetrics of(double[] predicted, Outcomes outcomes) {
    if (predicted.length == 0) {
      throw new IllegalArgumentException("no prompts to score");
    }
    OptionalDouble auroc = Auroc.of(predicted, outcomes);
    double predictedPassAt1 = java.util.Arrays.stream(predicted).average().orElseThrow();
    double actual = outcomes.passAt1();
    return new ProbeMetrics(predicted.length, outcomes.totalSamples(),
        auroc.isPresent() ? auroc.getAsDouble() : null,
        Calibration.mse(predicted, outcomes), Calibration.brier(predicted, outcomes),
        Calibration.expectedCalibrationError(predicted, outcomes),
        predictedPassAt1, actual, Math.abs(predictedPassAt1 - actual));
  }
}
