package dev.foresight.api.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.foresight.api.v1alpha1.FamilyMetrics;
import java.util.List;

/**
 * The training stage's termination message: every family's held-out metrics, the family chosen
 * (the simplest within one standard error of the best mean AUROC on the newest labelled checkpoint,
 * unseen by a head trained without it) and the bundle written.
 *
 * @param heldOutSteps the newest labelled checkpoints left out of training (checkpoint-level error)
 * @param fingerprint the bundle's, as its manifest states it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingReport(int v, List<FamilyMetrics> families, String chosen, String uri, String fingerprint,
    List<Long> heldOutSteps) {
  public static final int CURRENT_VERSION = 1;
}
