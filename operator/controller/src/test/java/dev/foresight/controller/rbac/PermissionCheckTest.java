package dev.foresight.controller.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.support.TestOperators;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mock server plays an API server whose RBAC denies a few permissions. */
@EnableKubernetesMockClient(https = false)
class PermissionCheckTest {
  static KubernetesMockServer server;
  static KubernetesClient client;
  /** "verb resource[/subresource] namespace" of every review asked. */
  final Set<String> asked = ConcurrentHashMap.newKeySet();

  void deny(String... denied) {
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews").andReply(201, request -> {
      SelfSubjectAccessReview review = Serialization.unmarshal(request.getBody().readUtf8(), SelfSubjectAccessReview.class);
      var a = review.getSpec().getResourceAttributes();
      String key = a.getVerb() + " " + a.getResource() + (a.getSubresource() == null ? "" : "/" + a.getSubresource())
          + " " + (a.getNamespace() == null ? "*" : a.getNamespace());
      asked.add(key);
      review.setStatus(new SubjectAccessReviewStatus(!List.of(denied).contains(key), false, null, null));
      return review;
    }).always();
  }

  @BeforeEach
  void reset() {
    server.reset();
    asked.clear();
  }

  @Test
  void allGrantedClusterWide() {
    deny();
    assertEquals(List.of(), PermissionCheck.missing(client, TestOperators.config(), null));
    assertEquals(true, asked.contains("watch probeevaluations *"));
    assertEquals(true, asked.contains("patch probeevaluations/status *"));
    assertEquals(true, asked.contains("create jobs *"));
    assertEquals(false, asked.stream().anyMatch(k -> k.contains("leases")), "no leader election, no Lease");
  }

  @Test
  void eachMissingPermissionIsNamedWithItsNamespace() {
    deny("watch probeevaluations pretrain", "patch probeevaluations/status evals", "update leases foresight-system");
    List<String> missing = PermissionCheck.missing(client, TestOperators.config(
        ConfigKeys.WATCH_NAMESPACES, "pretrain,evals", ConfigKeys.LEADER_ELECTION, "true"), "foresight-system");
    assertEquals(List.of(
        "patch probeevaluations.foresight.dev/status in namespace evals",
        "watch probeevaluations.foresight.dev in namespace pretrain",
        "update leases.coordination.k8s.io in namespace foresight-system"), missing);
  }
}
