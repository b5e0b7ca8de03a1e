package dev.foresight.worker.scan;

/**
 * What a {@link ReadinessRule} says of a folder: ready (with a fingerprint of the files that made
 * it so), or not yet and why, in words a user reads in the monitor's status.
 */
public record Verdict(boolean ready, String why, String fingerprint) {

  public static Verdict ready(String fingerprint) {
    return new Verdict(true, null, fingerprint);
  }

  public static Verdict notReady(String why) {
    return new Verdict(false, why, null);
  }
}
