package dev.foresight.controller.election;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up the leader Lease when a leading replica stops cleanly, so that the standby takes over at
 * its next retry (2 s) instead of waiting out the lease (15 s) — what a rolling update or a drained
 * node does to the leader. JOSDK 5.2 cannot do this itself: it builds Fabric8's elector with
 * {@code releaseOnCancel=false}.
 *
 * <p>The release is what client-go and Fabric8 write: no holder, a one-second lease renewed now. It
 * is a JSON merge patch carrying the resourceVersion just read, so it cannot clobber a Lease that
 * another replica took meanwhile (the server answers 409 and the Lease is left as it is). Call it
 * only after reconciling has stopped: a replica that releases the Lease must not act any more.
 */
public final class LeaseRelease {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

  private LeaseRelease() {}

  /**
   * @return whether this replica held the Lease and released it; false when it held nothing, or the
   *     Lease changed hands or could not be written (the standby then waits out the lease as before)
   */
  public static boolean release(KubernetesClient client, String namespace, String name, String identity, Clock clock) {
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(name).get();
      if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return false;
      }
      client.leases().inNamespace(namespace).withName(name)
          .patch(PatchContext.of(PatchType.JSON_MERGE), releasePatch(lease.getMetadata().getResourceVersion(), clock));
      LOG.info("released the leader Lease {}/{}: the standby leads from its next try", namespace, name);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        LOG.info("the leader Lease {}/{} changed while being released; left to the new holder", namespace, name);
      } else {
        LOG.warn("could not release the leader Lease {}/{} ({}); the standby takes over when it expires",
            namespace, name, e.getMessage());
      }
      return false;
    }
  }

  /** An explicit null removes the holder under JSON merge patch; a serialized Lease would omit it. */
  static String releasePatch(String resourceVersion, Clock clock) {
    // The Lease API's MicroTime: RFC 3339 with microseconds.
    String now = ZonedDateTime.now(clock).truncatedTo(ChronoUnit.MICROS)
        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"));
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    patch.putObject("metadata").put("resourceVersion", resourceVersion);
    ObjectNode spec = patch.putObject("spec");
    spec.putNull("holderIdentity");
    spec.put("leaseDurationSeconds", 1);
    spec.put("acquireTime", now);
    spec.put("renewTime", now);
    return patch.toString();
  }
}
