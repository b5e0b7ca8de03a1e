package dev.foresight.controller.status;

import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/**
 * Writes status from inside the reconcile instead of through UpdateControl, so that events and
 * metrics for a transition follow a write that is known to have succeeded (a failed write throws,
 * JOSDK retries, and nothing is announced twice). The written resource goes into JOSDK's cache
 * at once, so the next reconcile sees it even before the informer does.
 */
public final class StatusWriter {
  private StatusWriter() {}

  public static void write(ProbeEvaluation evaluation, ProbeEvaluationStatus status, Context<ProbeEvaluation> context) {
    if (context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource()) {
      // Server-side apply of the status alone, as the operator's field manager.
      ProbeEvaluation fresh = new ProbeEvaluation();
      fresh.setMetadata(new ObjectMetaBuilder()
          .withName(evaluation.getMetadata().getName())
          .withNamespace(evaluation.getMetadata().getNamespace())
          .build());
      fresh.setStatus(status);
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(evaluation, fresh, context);
    } else {
      PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(evaluation, context, e -> {
        e.setStatus(status);
        return e;
      });
    }
    evaluation.setStatus(status);
  }
}
