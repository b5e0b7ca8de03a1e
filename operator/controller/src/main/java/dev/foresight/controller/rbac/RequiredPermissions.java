package dev.foresight.controller.rbac;

import java.util.List;

/**
 * Every permission the controller uses, and no other: the one source of truth for the Helm chart's
 * RBAC (a chart test compares the rendered rules with these) and for the start-up permission check.
 * Each verb was found necessary against a real API server (PITFALLS.md).
 */
public final class RequiredPermissions {

  /** Granted in every watched namespace (a Role each) or cluster-wide (a ClusterRole when watching all). */
  public static final List<PermissionRule> WATCHED_NAMESPACES = List.of(
      // The informers (the evaluation controller's, and a monitor's by label); every read of a
      // ProbeEvaluation comes from a cache. A ProbeMonitor creates its evaluations, patches those a
      // trainer pushed (adoption: an owner reference) and those whose results it keeps (an
      // annotation), and deletes the oldest beyond its history limit.
      PermissionRule.of("foresight.dev", "probeevaluations", "list", "watch", "create", "patch", "delete"),
      // Status is written by server-side apply, a PATCH. (Tests against the mock server, which
      // cannot apply, write it with an update; the mock enforces no RBAC.)
      PermissionRule.of("foresight.dev", "probeevaluations/status", "patch"),
      // blockOwnerDeletion on the Job's owner reference needs this where OwnerReferencesPermissionEnforcement runs.
      PermissionRule.of("foresight.dev", "probeevaluations/finalizers", "update"),
      // The monitor controller's informers (its own, and one that hears of deletions to drop
      // metrics), and the training controller's (a training waits for the monitor it names).
      PermissionRule.of("foresight.dev", "probemonitors", "list", "watch"),
      PermissionRule.of("foresight.dev", "probemonitors/status", "patch"),
      // blockOwnerDeletion on the owner references of a monitor's evaluations and scan Jobs.
      PermissionRule.of("foresight.dev", "probemonitors/finalizers", "update"),
      // The training controller's informer; its status; blockOwnerDeletion on its Jobs' and plan's owner references.
      PermissionRule.of("foresight.dev", "probetrainings", "list", "watch"),
      PermissionRule.of("foresight.dev", "probetrainings/status", "patch"),
      PermissionRule.of("foresight.dev", "probetrainings/finalizers", "update"),
      // A training's plan, made before each stage Job (again: an existing one is the same plan).
      PermissionRule.of("", "configmaps", "create"),
      // The informers (worker, scan and training Jobs); create; get when a create finds the Job already there
      // (a lost answer) or a scan Job is not cached yet; patch to suspend a Job whose image cannot be pulled.
      PermissionRule.of("batch", "jobs", "get", "list", "watch", "create", "patch"),
      // The informer, and a list when a Job's verdict arrives before its pod or a scan Job finishes
      // (termination messages).
      PermissionRule.of("", "pods", "list", "watch"),
      // One core/v1 Event per transition, never updated; a list of a podless Job's events (the
      // Job controller's FailedCreate says why the cluster refuses the worker pod).
      PermissionRule.of("", "events", "create", "list"));

  /**
   * Granted in the operator's own namespace when leader election is on. Fabric8's elector reads the
   * Lease, creates it when missing, and writes every renewal, take-over and release as a JSON merge
   * patch: without {@code patch} the leader loses its Lease at the first renewal deadline (10 s).
   * Nothing sends a PUT, but JOSDK refuses to start unless a SelfSubjectRulesReview lists
   * {@code update} (with get and create). The tests' RBAC-enforcing API server holds the operator to
   * these rules, renewals and release included.
   */
  public static final List<PermissionRule> LEADER_ELECTION = List.of(
      PermissionRule.of("coordination.k8s.io", "leases", "get", "create", "update", "patch"));

  private RequiredPermissions() {}
}
