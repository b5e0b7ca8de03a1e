package dev.foresight.controller.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.function.Supplier;

/**
 * Writes status from inside the reconcile instead of through UpdateControl, so that events and
 * metrics for a transition follow a write that is known to have succeeded (a failed write throws,
 * JOSDK retries, and nothing is announced twice). The written resource goes into JOSDK's cache
 * at once, so the next reconcile sees it even before the informer does. Shared by both kinds.
 */
public final class StatusWriter {
  private StatusWriter() {}

  public static <S, R extends CustomResource<?, S>> void write(R resource, S status, Context<R> context,
      Supplier<R> empty) {
    if (context.getControllerConfiguration().getConfigurationService().useSSAToPatchPrimaryResource()) {
      // Server-side apply of the status alone, as the operator's field manager.
      R fresh = empty.get();
      fresh.setMetadata(new ObjectMetaBuilder()
          .withName(resource.getMetadata().getName())
          .withNamespace(resource.getMetadata().getNamespace())
          .build());
      fresh.setStatus(status);
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(resource, fresh, context);
    } else {
      PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, r -> {
        r.setStatus(status);
        return r;
      });
    }
    resource.setStatus(status);
  }
}
