package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One probe family's held-out scores: AUROC over sample outcomes and calibration error on the
 * held-out prompts of the training checkpoints, and the mean |predicted − actual| pass@1 per task
 * on the held-out (newest) checkpoints, when any were held out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FamilyMetrics {
  private String family;
  private Double auroc;
  private Double calibrationError;
  private Double checkpointAbsError;

  public FamilyMetrics() {}

  public FamilyMetrics(String family, Double auroc, Double calibrationError, Double checkpointAbsError) {
    this.family = family;
    this.auroc = auroc;
    this.calibrationError = calibrationError;
    this.checkpointAbsError = checkpointAbsError;
  }

  public String getFamily() { return family; }
  public void setFamily(String family) { this.family = family; }
  public Double getAuroc() { return auroc; }
  public void setAuroc(Double auroc) { this.auroc = auroc; }
  public Double getCalibrationError() { return calibrationError; }
  public void setCalibrationError(Double calibrationError) { this.calibrationError = calibrationError; }
  public Double getCheckpointAbsError() { return checkpointAbsError; }
  public void setCheckpointAbsError(Double checkpointAbsError) { this.checkpointAbsError = checkpointAbsError; }
}
