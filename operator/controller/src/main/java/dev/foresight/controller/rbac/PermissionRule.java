package dev.foresight.controller.rbac;

import java.util.List;

/** One RBAC rule as a Role or ClusterRole states it: these verbs on these resources of these API groups. */
public record PermissionRule(List<String> apiGroups, List<String> resources, List<String> verbs) {
  public PermissionRule {
    apiGroups = List.copyOf(apiGroups);
    resources = List.copyOf(resources);
    verbs = List.copyOf(verbs);
  }

  public static PermissionRule of(String apiGroup, String resource, String... verbs) {
    return new PermissionRule(List.of(apiGroup), List.of(resource), List.of(verbs));
  }
}
