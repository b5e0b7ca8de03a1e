package dev.foresight.controller.support.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What RBAC grants one service account, read from Roles, ClusterRoles and their bindings (a rendered
 * chart): the rules of ClusterRoleBindings hold everywhere, those of RoleBindings in their namespace.
 * Decides requests as the API server's RBAC authorizer does (rules are additive; {@code *} matches
 * all; {@code resourceNames} narrow a rule to named objects).
 */
public final class RbacGrants {
  /** @param namespace null: cluster-wide */
  private record Grant(String namespace, PolicyRule rule) {}

  private final List<Grant> grants;

  private RbacGrants(List<Grant> grants) {
    this.grants = List.copyOf(grants);
  }

  public static RbacGrants forServiceAccount(Collection<? extends HasMetadata> objects, String namespace, String name) {
    List<Grant> grants = new ArrayList<>();
    for (HasMetadata o : objects) {
      if (o instanceof ClusterRoleBinding b && binds(b.getSubjects(), namespace, name)) {
        rules(objects, b.getRoleRef(), null).forEach(r -> grants.add(new Grant(null, r)));
      } else if (o instanceof RoleBinding b && binds(b.getSubjects(), namespace, name)) {
        String where = b.getMetadata().getNamespace();
        rules(objects, b.getRoleRef(), where).forEach(r -> grants.add(new Grant(where, r)));
      }
    }
    return new RbacGrants(grants);
  }

  private static boolean binds(List<Subject> subjects, String namespace, String name) {
    return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
        && name.equals(s.getName()) && namespace.equals(s.getNamespace()));
  }

  /** A binding to a missing role grants nothing, as on a real server. */
  private static List<PolicyRule> rules(Collection<? extends HasMetadata> objects, RoleRef ref, String namespace) {
    Optional<? extends HasMetadata> role = objects.stream()
        .filter(o -> "ClusterRole".equals(ref.getKind()) ? o instanceof ClusterRole
            : o instanceof Role && Objects.equals(namespace, o.getMetadata().getNamespace()))
        .filter(o -> ref.getName().equals(o.getMetadata().getName()))
        .findFirst();
    if (role.isEmpty()) {
      return List.of();
    }
    List<PolicyRule> rules = role.get() instanceof ClusterRole c ? c.getRules() : ((Role) role.get()).getRules();
    return rules == null ? List.of() : rules;
  }

  public boolean allows(ResourceRequest request) {
    return grants.stream()
        .filter(g -> g.namespace() == null || g.namespace().equals(request.namespace()))
        .anyMatch(g -> matches(g.rule(), request));
  }

  private static boolean matches(PolicyRule rule, ResourceRequest request) {
    return matchesAny(rule.getApiGroups(), request.group())
        && matchesAny(rule.getResources(), request.qualifiedResource())
        && matchesAny(rule.getVerbs(), request.verb())
        && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
            || request.name() != null && rule.getResourceNames().contains(request.name()));
  }

  private static boolean matchesAny(List<String> values, String value) {
    return values != null && (values.contains("*") || values.contains(value));
  }

  /** The rules in force in a namespace, as a SelfSubjectRulesReview lists them. */
  public List<ResourceRule> rulesIn(String namespace) {
    return grants.stream()
        .filter(g -> g.namespace() == null || g.namespace().equals(namespace))
        .map(g -> new ResourceRuleBuilder().withApiGroups(g.rule().getApiGroups())
            .withResources(g.rule().getResources()).withVerbs(g.rule().getVerbs())
            .withResourceNames(g.rule().getResourceNames()).build())
        .toList();
  }
}
