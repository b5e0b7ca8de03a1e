package dev.foresight.controller.job;

import dev.foresight.api.HexDigest;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeTraining;
import dev.foresight.api.worker.TrainingStageCommand;

/**
 * The one Job name of a ProbeEvaluation. It is a function of the resource alone, so that creating
 * it twice (after a restart, or from two racing reconciles) hits "already exists" instead of
 * making a second Job. The suffix comes from the resource's uid: a resource deleted and created
 * again under the same name gets a new Job even while the old one still waits for garbage
 * collection.
 */
public final class JobNames {
  /** Job names end up in the pod label batch.kubernetes.io/job-name: at most 63 characters. */
  public static final int MAX_LENGTH = 63;
  private static final int SUFFIX_LENGTH = 8;

  private JobNames() {}

  public static String of(ProbeEvaluation evaluation) {
    String name = evaluation.getMetadata().getName();
    String uid = evaluation.getMetadata().getUid();
    return of(name, uid == null ? name : uid);
  }

  /**
   * The scan Job a ProbeMonitor runs as its {@code sequence}-th look at its prefix (any string that
   * names that look for good, e.g. the time of the scan before it): asked twice for the same look,
   * the answer is the same Job.
   */
  public static String ofScan(ProbeMonitor monitor, String sequence) {
    String uid = monitor.getMetadata().getUid() == null ? monitor.getMetadata().getName() : monitor.getMetadata().getUid();
    return of(monitor.getMetadata().getName() + "-scan", uid + "/scan/" + sequence);
  }

  /**
   * The Job of one stage of a ProbeTraining, {@code <name>-<stage>-<hash>}: one per stage and
   * resource, so a restarted operator finds the stage's Job instead of making a second one.
   */
  public static String ofTraining(ProbeTraining training, TrainingStageCommand.Stage stage) {
    return ofTraining(training, stage.cliName());
  }

  /** The ConfigMap holding a ProbeTraining's plan, named like its Jobs. */
  public static String ofTrainingPlan(ProbeTraining training) {
    return ofTraining(training, "plan");
  }

  private static String ofTraining(ProbeTraining training, String part) {
    String name = training.getMetadata().getName();
    String uid = training.getMetadata().getUid() == null ? name : training.getMetadata().getUid();
    return of(name + "-" + part, uid + "/" + part);
  }

  static String of(String name, String uid) {
    // Dots are legal in resource names but make awkward pod host names.
    String base = name.replace('.', '-');
    int room = MAX_LENGTH - 1 - SUFFIX_LENGTH;
    if (base.length() > room) {
      base = base.substring(0, room);
    }
    while (base.endsWith("-")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + "-" + HexDigest.sha256(uid).substring(0, SUFFIX_LENGTH);
  }
}
