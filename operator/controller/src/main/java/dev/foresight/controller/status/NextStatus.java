package dev.foresight.controller.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.api.report.EvaluationReport;
import dev.foresight.api.v1alpha1.Latency;
import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.api.v1alpha1.TaskResult;
import dev.foresight.controller.observe.JobObserver;
import dev.foresight.controller.observe.WorkerState;
import dev.foresight.controller.report.ReportCheck;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The status a reconcile wants to write: a copy of the current one with this reconcile's findings
 * applied. Only the operator writes status, and it writes the whole of it each time.
 */
public final class NextStatus {
  /** Accepted=True carries this reason; the failure reasons are {@link Reason}'s. */
  public static final String VALID = "Valid";
  public static final String QUEUED = "Queued";
  public static final String PENDING = "Pending";
  public static final String SCHEDULED = "Scheduled";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ProbeEvaluationStatus status;
  private final Long generation;
  private final Instant created;
  private final Instant now;

  private NextStatus(ProbeEvaluation evaluation, Instant now) {
    ProbeEvaluationStatus current = evaluation.getStatus();
    this.status = current == null ? new ProbeEvaluationStatus() : copy(current);
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    this.generation = evaluation.getMetadata().getGeneration();
    this.created = JobObserver.time(evaluation.getMetadata().getCreationTimestamp());
    this.now = now;
    status.setObservedGeneration(generation);
  }

  public static NextStatus of(ProbeEvaluation evaluation, Instant now) {
    return new NextStatus(evaluation, now);
  }

  public ProbeEvaluationStatus build() {
    return status;
  }

  /** True when writing {@code next} over {@code current} would change nothing. */
  public static boolean same(ProbeEvaluationStatus current, ProbeEvaluationStatus next) {
    return current != null && MAPPER.valueToTree(current).equals(MAPPER.valueToTree(next));
  }

  /** Kubernetes writes times as RFC 3339 in whole seconds. */
  public static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  public NextStatus accepted() {
    Conditions.set(status.getConditions(), Conditions.ACCEPTED, Conditions.TRUE, VALID, "the spec is valid", generation, now);
    return this;
  }

  public NextStatus rejected(List<String> problems) {
    return failed(Reason.InvalidSpec, "invalid spec: " + String.join("; ", problems), null);
  }

  public NextStatus queued(String message) {
    status.setPhase(Phase.Queued);
    status.setMessage(message);
    Conditions.set(status.getConditions(), Conditions.SCHEDULED, Conditions.FALSE, QUEUED, message, generation, now);
    return this;
  }

  /**
   * The evaluation cannot be given a Job yet, for a reason outside it (the training its probe
   * names is not done): it waits in Pending, Scheduled=False with that reason.
   */
  public NextStatus waiting(String reason, String message) {
    status.setPhase(Phase.Pending);
    status.setMessage(message);
    Conditions.set(status.getConditions(), Conditions.SCHEDULED, Conditions.FALSE, reason, message, generation, now);
    return this;
  }

  /**
   * @param probeUri the bundle the worker is given, recorded for good: a probe.trainingRef may
   *     name another bundle later
   * @param probeFingerprint the bundle's fingerprint as its training reported it, or null
   */
  public NextStatus jobCreated(String jobName, String probeUri, String probeFingerprint) {
    probeUsed(probeUri, probeFingerprint);
    return following(jobName, JobObserver.awaitingPod(jobName));
  }

  /** The bundle the worker Job was given (see {@link #jobCreated}). */
  public NextStatus probeUsed(String probeUri, String probeFingerprint) {
    status.setProbeUri(probeUri);
    status.setProbeFingerprint(probeFingerprint);
    return this;
  }

  /**
   * Records what the Job and its pod say: the worker's report if it succeeded (checked against the
   * tasks requested), its failure, or where it stands.
   */
  public NextStatus observed(String jobName, WorkerState state, List<String> requestedTasks) {
    if (state instanceof WorkerState.Completed c) {
      ranAt(c.startedAt());
      ReportCheck.Outcome outcome = ReportCheck.check(c.terminationMessage(), requestedTasks);
      return outcome instanceof ReportCheck.Accepted a
          ? succeeded(a.report(), a.note(), c.startedAt(), c.finishedAt())
          : failed(Reason.WorkerFailed, ((ReportCheck.Rejected) outcome).problem(), c.finishedAt());
    }
    if (state instanceof WorkerState.Failed f) {
      ranAt(f.startedAt());
      return failed(f.reason(), f.message(), f.finishedAt());
    }
    return following(jobName, state);
  }

  /** The worker ran, though no reconcile may have seen it running (it was quick, or the operator was down). */
  private void ranAt(Instant startedAt) {
    if (startedAt == null) {
      return;
    }
    if (status.getStartTime() == null) {
      status.setStartTime(timestamp(startedAt));
    }
    boolean known = Conditions.find(status.getConditions(), Conditions.SCHEDULED)
        .filter(c -> Conditions.TRUE.equals(c.getStatus())).isPresent();
    if (!known) {
      Conditions.set(status.getConditions(), Conditions.SCHEDULED, Conditions.TRUE, SCHEDULED, "the worker ran",
          generation, now);
    }
  }

  /** The worker is not done: record where it stands. */
  private NextStatus following(String jobName, WorkerState state) {
    status.setJobName(jobName);
    if (state instanceof WorkerState.Starting s) {
      status.setPhase(Phase.Pending);
      status.setMessage(s.message());
      Conditions.set(status.getConditions(), Conditions.SCHEDULED, s.scheduled() ? Conditions.TRUE : Conditions.FALSE,
          s.scheduled() ? SCHEDULED : PENDING, s.message(), generation, now);
    } else if (state instanceof WorkerState.Unschedulable u) {
      status.setPhase(Phase.Pending);
      status.setMessage("the worker pod cannot be scheduled: " + u.message());
      Conditions.set(status.getConditions(), Conditions.SCHEDULED, Conditions.FALSE, Reason.Unschedulable.name(),
          u.message(), generation, now);
    } else if (state instanceof WorkerState.Running r) {
      status.setPhase(Phase.Running);
      String where = r.nodeName() == null ? "" : " on node " + r.nodeName();
      status.setMessage(r.exitCode() == null ? "the worker runs in pod " + r.podName() + where
          : "the worker in pod " + r.podName() + " exited with code " + r.exitCode() + "; waiting for the Job's verdict");
      if (status.getStartTime() == null) {
        status.setStartTime(timestamp(r.startedAt() != null ? r.startedAt() : now));
      }
      Conditions.set(status.getConditions(), Conditions.SCHEDULED, Conditions.TRUE, SCHEDULED,
          "pod " + r.podName() + where, generation, now);
    } else {
      throw new IllegalArgumentException("not a state of an unfinished Job: " + state);
    }
    return this;
  }

  private NextStatus succeeded(EvaluationReport report, String note, Instant startedAt, Instant finishedAt) {
    Instant finished = finishedAt != null ? finishedAt : now;
    status.setPhase(Phase.Succeeded);
    status.setResults(report.getResults());
    status.setCheckpoint(report.getCheckpoint());
    status.setLatency(latency(report.getLatency(), startedAt, finished));
    times(startedAt, finished);
    String summary = summary(report.getResults(), status.getLatency());
    status.setMessage(note == null ? summary : summary + "; " + note);
    Conditions.set(status.getConditions(), Conditions.COMPLETE, Conditions.TRUE, Reason.Succeeded.name(), summary,
        generation, now);
    return this;
  }

  /**
   * The evaluation failed. An invalid spec is refused, whoever found it (this operator's checks,
   * the API server, or the worker rejecting its arguments): Accepted turns False with it.
   */
  public NextStatus failed(Reason reason, String message, Instant finishedAt) {
    status.setPhase(Phase.Failed);
    status.setMessage(message);
    times(null, finishedAt != null ? finishedAt : now);
    if (reason == Reason.InvalidSpec) {
      Conditions.set(status.getConditions(), Conditions.ACCEPTED, Conditions.FALSE, reason.name(), message, generation, now);
    }
    Conditions.set(status.getConditions(), Conditions.FAILED, Conditions.TRUE, reason.name(), message, generation, now);
    return this;
  }

  private void times(Instant startedAt, Instant finishedAt) {
    if (status.getStartTime() == null && startedAt != null) {
      status.setStartTime(timestamp(startedAt));
    }
    status.setCompletionTime(timestamp(finishedAt));
  }

  /**
   * The worker's stages plus what only the controller sees: queued is creation to worker start,
   * total is creation to worker finish, both from the cluster's own timestamps so that an operator
   * restart in between does not distort them.
   */
  private Latency latency(Latency worker, Instant startedAt, Instant finished) {
    Latency latency = new Latency();
    if (worker != null) {
      latency.setLoadSeconds(worker.getLoadSeconds());
      latency.setForwardSeconds(worker.getForwardSeconds());
      latency.setProbeSeconds(worker.getProbeSeconds());
      latency.setGenerativeSeconds(worker.getGenerativeSeconds());
    }
    if (created != null) {
      Instant started = startedAt != null ? startedAt : JobObserver.time(status.getStartTime());
      if (started != null) {
        latency.setQueuedSeconds(seconds(created, started));
      }
      latency.setTotalSeconds(seconds(created, finished));
    }
    return latency;
  }

  private static double seconds(Instant from, Instant to) {
    // Clocks of different machines may disagree by a little: never report negative time.
    return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
  }

  private static String summary(List<TaskResult> results, Latency latency) {
    String predictions = results.stream()
        .map(r -> r.getTask() + " " + String.format(Locale.ROOT, "%.3f", r.getPredictedPassAt1()))
        .collect(Collectors.joining(", "));
    String took = latency.getTotalSeconds() == null ? ""
        : String.format(Locale.ROOT, " in %.1f s", latency.getTotalSeconds());
    return "predicted pass@1: " + predictions + took;
  }

  private static ProbeEvaluationStatus copy(ProbeEvaluationStatus status) {
    return MAPPER.convertValue(status, ProbeEvaluationStatus.class);
  }
}
