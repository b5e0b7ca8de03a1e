package dev.foresight.controller.chart;

import static dev.foresight.controller.chart.RenderedChart.NAMESPACE;
import static dev.foresight.controller.chart.RenderedChart.render;
import static dev.foresight.controller.chart.RenderedChart.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.controller.rbac.PermissionRule;
import dev.foresight.controller.rbac.RequiredPermissions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart grants exactly {@link RequiredPermissions}: the controller's own list is the one source
 * of truth, so a verb added there and forgotten here (or granted here and not needed) fails.
 */
class ChartRbacTest {

  @Test
  void clusterRoleGrantsExactlyTheWatchedNamespaceRulesWhenWatchingAll() {
    RenderedChart chart = render();
    ClusterRole role = chart.one(ClusterRole.class);
    assertSameRules(RequiredPermissions.WATCHED_NAMESPACES, role.getRules(), "ClusterRole " + role.getMetadata().getName());

    ClusterRoleBinding binding = chart.one(ClusterRoleBinding.class);
    assertBinds(binding.getRoleRef(), "ClusterRole", role, binding.getSubjects(), chart);
  }

  @Test
  void eachWatchedNamespaceGetsARoleWithExactlyTheRulesAndABinding() {
    RenderedChart chart = render(values("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));
    for (String namespace : List.of("team-a", "team-b")) {
      Role role = inNamespace(chart.all(Role.class), namespace);
      assertSameRules(RequiredPermissions.WATCHED_NAMESPACES, role.getRules(), "Role in " + namespace);
      RoleBinding binding = inNamespace(chart.all(RoleBinding.class), namespace);
      assertBinds(binding.getRoleRef(), "Role", role, binding.getSubjects(), chart);
    }
    assertEquals(2, chart.all(Role.class).size(), "no Role beyond the watched namespaces without leader election");
  }

  @Test
  void leaderElectionAddsOnlyTheLeaseRuleInTheReleaseNamespace() {
    RenderedChart chart = render(values("leaderElection.enabled", true));
    Role lease = inNamespace(chart.all(Role.class), NAMESPACE);
    assertSameRules(RequiredPermissions.LEADER_ELECTION, lease.getRules(), "leader-election Role");
    RoleBinding binding = inNamespace(chart.all(RoleBinding.class), NAMESPACE);
    assertBinds(binding.getRoleRef(), "Role", lease, binding.getSubjects(), chart);
    // Cluster-wide rules unchanged beside it.
    assertSameRules(RequiredPermissions.WATCHED_NAMESPACES, chart.one(ClusterRole.class).getRules(), "ClusterRole");
  }

  @Test
  void noLeaseRoleWithoutLeaderElection() {
    assertTrue(render().all(Role.class).isEmpty());
  }

  @Test
  void workerServiceAccountIsBoundToNothing() {
    RenderedChart chart = render(values("watchNamespaces[0]", "team-a", "leaderElection.enabled", true));
    Stream<Subject> subjects = Stream.concat(
        chart.all(RoleBinding.class).stream().flatMap(b -> b.getSubjects().stream()),
        chart.all(ClusterRoleBinding.class).stream().flatMap(b -> b.getSubjects().stream()));
    assertTrue(subjects.noneMatch(s -> s.getName().equals("foresight-worker")),
        "worker pods must have no Kubernetes API access");
  }

  private static void assertSameRules(List<PermissionRule> required, List<PolicyRule> rendered, String where) {
    List<PermissionRule> granted = rendered.stream()
        .map(r -> new PermissionRule(r.getApiGroups(), r.getResources(), r.getVerbs()))
        .toList();
    assertEquals(granted.size(), new HashSet<>(granted).size(), where + " repeats a rule: " + granted);
    assertEquals(Set.copyOf(required), Set.copyOf(granted),
        where + " must grant exactly RequiredPermissions (rules in templates/_helpers.tpl)");
  }

  /** The binding points at this very role and at the operator's service account in the release namespace. */
  private static void assertBinds(RoleRef ref, String kind, HasMetadata role, List<Subject> subjects, RenderedChart chart) {
    assertEquals(kind, ref.getKind());
    assertEquals("rbac.authorization.k8s.io", ref.getApiGroup());
    assertEquals(role.getMetadata().getName(), ref.getName());
    assertEquals(1, subjects.size());
    Subject subject = subjects.get(0);
    assertEquals("ServiceAccount", subject.getKind());
    assertEquals(NAMESPACE, subject.getNamespace());
    String operatorAccount = chart.deployment().getSpec().getTemplate().getSpec().getServiceAccountName();
    assertEquals(operatorAccount, subject.getName());
    assertTrue(chart.all(ServiceAccount.class).stream().anyMatch(sa -> sa.getMetadata().getName().equals(operatorAccount)
        && NAMESPACE.equals(sa.getMetadata().getNamespace())), "the operator's service account is rendered");
  }

  private static <T extends HasMetadata> T inNamespace(List<T> objects, String namespace) {
    List<T> found = objects.stream().filter(o -> namespace.equals(o.getMetadata().getNamespace())).toList();
    assertEquals(1, found.size(), () -> "expected one in " + namespace + ": " + RenderedChart.names(objects));
    return found.get(0);
  }
}
