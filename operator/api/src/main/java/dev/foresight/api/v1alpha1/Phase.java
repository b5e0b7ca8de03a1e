package dev.foresight.api.v1alpha1;

/** Where an evaluation stands. Succeeded and Failed are final. */
public enum Phase {
  Pending,
  Queued,
  Running,
  Succeeded,
  Failed;

  public boolean isFinal() {
    return this == Succeeded || this == Failed;
  }
}
