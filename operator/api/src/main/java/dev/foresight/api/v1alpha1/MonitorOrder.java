package dev.foresight.api.v1alpha1;

/** Which ready checkpoints of a backlog are evaluated first. */
public enum MonitorOrder {
  /** The newest first (what a team wants to see), then older ones down to the oldest. */
  NewestFirst,
  /** In training order. */
  OldestFirst
}
