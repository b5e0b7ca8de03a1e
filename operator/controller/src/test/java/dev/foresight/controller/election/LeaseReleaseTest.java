package dev.foresight.controller.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class LeaseReleaseTest {
  static final String NS = "foresight-system";
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:00:00.123456Z"), ZoneOffset.UTC);
  static KubernetesClient client;

  Lease held(String name, String holder) {
    ZonedDateTime renewed = ZonedDateTime.parse("2026-12-04T09:59:58.000000Z");
    return client.resource(new LeaseBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(15).withAcquireTime(renewed)
        .withRenewTime(renewed).withLeaseTransitions(3).endSpec().build()).create();
  }

  @Test
  void theHolderGivesTheLeaseUpSoAnyReplicaMayTakeItAtOnce() {
    held("mine", "replica-a");
    assertTrue(LeaseRelease.release(client, NS, "mine", "replica-a", CLOCK));
    Lease lease = client.leases().inNamespace(NS).withName("mine").get();
    assertNull(lease.getSpec().getHolderIdentity(), "no holder: Fabric8's and client-go's electors take it at once");
    assertEquals(1, lease.getSpec().getLeaseDurationSeconds());
    assertEquals(ZonedDateTime.parse("2026-12-04T10:00:00.123456Z"), lease.getSpec().getRenewTime());
    assertEquals(3, lease.getSpec().getLeaseTransitions(), "transitions are counted by the next holder");
  }

  @Test
  void aLeaseHeldByAnotherReplicaOrMissingIsLeftAlone() {
    Lease before = held("theirs", "replica-b");
    assertFalse(LeaseRelease.release(client, NS, "theirs", "replica-a", CLOCK));
    Lease after = client.leases().inNamespace(NS).withName("theirs").get();
    assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
    assertEquals("replica-b", after.getSpec().getHolderIdentity());
    assertFalse(LeaseRelease.release(client, NS, "none", "replica-a", CLOCK));
  }

  @Test
  void theReleaseCarriesTheResourceVersionReadSoItCannotOverwriteANewHolder() {
    String patch = LeaseRelease.releasePatch("42", CLOCK);
    assertTrue(patch.contains("\"resourceVersion\":\"42\""), patch);
    assertTrue(patch.contains("\"holderIdentity\":null"), patch);
    assertTrue(patch.contains("\"renewTime\":\"2026-12-04T10:00:00.123456Z\""), patch);
  }
}
