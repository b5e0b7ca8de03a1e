package dev.foresight.worker.scoring;

import java.util.Arrays;
import java.util.Comparator;
import java.util.OptionalDouble;

/**
 * Area under the ROC curve over per-sample outcomes: the chance that a randomly drawn passing
 * sample got a higher predicted probability than a randomly drawn failing one, ties counting one
 * half (the Mann–Whitney statistic). All samples of a prompt share the prompt's prediction, so a
 * prompt with 3 passes of 4 samples adds three positives and one negative at the same score.
 */
public final class Auroc {
  private Auroc() {}

  /**
   * @return empty when every sample passed or every sample failed: no pair exists to rank, and
   *     AUROC is undefined (reported as absent, never as NaN)
   */
  public static OptionalDouble of(double[] predicted, Outcomes outcomes) {
    requireSameLength(predicted, outcomes);
    long positives = outcomes.totalPassed();
    long negatives = outcomes.totalSamples() - positives;
    if (positives == 0 || negatives == 0) {
      return OptionalDouble.empty();
    }
    Integer[] order = new Integer[predicted.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble(i -> predicted[i]));
    double wins = 0;
    long negativesBelow = 0;
    int g = 0;
    while (g < order.length) {
      long groupPositives = 0;
      long groupNegatives = 0;
      int end = g;
      while (end < order.length && predicted[order[end]] == predicted[order[g]]) {
        int i = order[end++];
        groupPositives += outcomes.passed()[i];
        groupNegatives += outcomes.samples()[i] - outcomes.passed()[i];
      }
      wins += groupPositives * (negativesBelow + 0.5 * groupNegatives);
      negativesBelow += groupNegatives;
      g = end;
    }
    return OptionalDouble.of(wins / ((double) positives * negatives));
  }

  static void requireSameLength(double[] predicted, Outcomes outcomes) {
    if (predicted.length != outcomes.prompts()) {
      throw new IllegalArgumentException(predicted.length + " predictions for " + outcomes.prompts() + " prompts");
    }
  }
}
