package dev.foresight.controller.job;

import dev.foresight.api.StorageUri;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeMonitorSpec;
import dev.foresight.api.v1alpha1.Readiness;
import dev.foresight.api.worker.ScanCommand;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.controller.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a ProbeMonitor's scan Job: {@code foresight scan} on the worker image, in the same
 * hardened pod as an evaluation's worker ({@link HardenedJob}), but small: no GPU, a fraction of a
 * core, a short deadline and no retry (the monitor retries with backoff and says why). The prefix's
 * claim is mounted read-only; S3 credentials come from the Secret by reference, never through the
 * operator. The spec must have passed {@link dev.foresight.controller.monitor.MonitorValidator}.
 */
public final class ScanJobBuilder {
  /** Listing a prefix takes seconds; a scan still running after this is stuck (a hung mount, an unreachable endpoint). */
  public static final long DEADLINE_SECONDS = 300;
  /** A JVM listing folders: enough heap for a 10,000-object prefix, no more. */
  static final ResourceRequirements RESOURCES = new ResourceRequirementsBuilder()
      .addToRequests("cpu", new Quantity("100m"))
      .addToRequests("memory", new Quantity("256Mi"))
      .addToLimits("memory", new Quantity("512Mi"))
      .build();

  private final OperatorConfig config;

  public ScanJobBuilder(OperatorConfig config) {
    this.config = config;
  }

  /**
   * @param name from {@link JobNames#ofScan}
   * @param above list only steps above this one (null: from the first)
   * @param below list only steps below this one (null: up to the newest), to page a backlog
   */
  public Job build(ProbeMonitor monitor, String name, Long above, Long below) {
    ProbeMonitorSpec spec = monitor.getSpec();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(WorkerLabels.MANAGED_BY, WorkerLabels.MANAGED_BY_VALUE);
    labels.put(WorkerLabels.NAME, WorkerLabels.SCAN_NAME_VALUE);
    labels.put(WorkerLabels.RUN, spec.getRun());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(WorkerLabels.MONITOR, monitor.getMetadata().getName());
    if (below != null) {
      annotations.put(WorkerLabels.SCAN_BELOW_ANNOTATION, Long.toString(below));
    }
    StorageUri prefix = StorageUri.parse("spec.checkpoints.uri", spec.getCheckpoints().getUri());
    return new HardenedJob(config).build(new HardenedJob.Parts(
        name,
        monitor,
        labels,
        annotations,
        WorkerLabels.CONTAINER,
        new WorkerPlacement(config, spec.getRuntime()).image(),
        command(spec, above, below).toArgs(),
        RESOURCES,
        StorageAccess.readOnly(prefix, spec.getCheckpoints().getCredentialsSecret()),
        0,
        DEADLINE_SECONDS));
  }

  static ScanCommand command(ProbeMonitorSpec spec, Long above, Long below) {
    Readiness ready = spec.getCheckpoints().getReady();
    return new ScanCommand(
        spec.getCheckpoints().getUri(),
        spec.getCheckpoints().getStepPattern(),
        ready == null ? null : ready.getMarker(),
        ready == null ? null : ready.getSettleSeconds(),
        above,
        below,
        spec.getSteps() == null ? null : spec.getSteps().getFrom(),
        spec.getSteps() == null ? null : spec.getSteps().getTo(),
        WorkerCommand.TERMINATION_LOG);
  }
}
