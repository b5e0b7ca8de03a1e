package dev.foresight.controller.rbac;

import dev.foresight.controller.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the API server, one SelfSubjectAccessReview per verb, whether the operator holds every
 * permission in {@link RequiredPermissions}. Without this, a missing {@code watch} stops JOSDK with
 * a bare informer error and a missing status {@code patch} leaves resources without any status.
 */
public final class PermissionCheck {
  private PermissionCheck() {}

  /**
   * The permissions the operator lacks, each as "verb resource.group in namespace"; empty when all
   * are granted.
   *
   * @param leaseNamespace where the leader-election Lease lives; only checked with leader election
   */
  public static List<String> missing(KubernetesClient client, OperatorConfig config, String leaseNamespace) {
    List<String> missing = new ArrayList<>();
    List<String> namespaces = config.watchesAllNamespaces() ? List.of("") : config.watchNamespaces().stream().sorted().toList();
    for (String namespace : namespaces) {
      for (PermissionRule rule : RequiredPermissions.WATCHED_NAMESPACES) {
        check(client, rule, namespace, missing);
      }
    }
    if (config.leaderElection()) {
      for (PermissionRule rule : RequiredPermissions.LEADER_ELECTION) {
        check(client, rule, leaseNamespace, missing);
      }
    }
    return missing;
  }

  private static void check(KubernetesClient client, PermissionRule rule, String namespace, List<String> missing) {
    for (String group : rule.apiGroups()) {
      for (String resource : rule.resources()) {
        String[] parts = resource.split("/", 2);
        for (String verb : rule.verbs()) {
          SelfSubjectAccessReview review = client.authorization().v1().selfSubjectAccessReview().create(
              new SelfSubjectAccessReviewBuilder()
                  .withNewSpec()
                    .withNewResourceAttributes()
                      .withGroup(group)
                      .withResource(parts[0])
                      .withSubresource(parts.length > 1 ? parts[1] : null)
                      .withVerb(verb)
                      .withNamespace(namespace.isEmpty() ? null : namespace)
                    .endResourceAttributes()
                  .endSpec()
                  .build());
          boolean allowed = review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
          if (!allowed) {
            missing.add(verb + " " + parts[0] + (group.isEmpty() ? "" : "." + group)
                + (parts.length > 1 ? "/" + parts[1] : "")
                + (namespace.isEmpty() ? " in all namespaces" : " in namespace " + namespace));
          }
        }
      }
    }
  }
}
