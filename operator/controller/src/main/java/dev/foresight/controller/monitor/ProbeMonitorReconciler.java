package dev.foresight.controller.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.api.scan.ReadyCheckpoint;
import dev.foresight.api.scan.ScanReport;
import dev.foresight.api.v1alpha1.MonitorCounts;
import dev.foresight.api.v1alpha1.PendingCheckpoint;
import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeMonitorSpec;
import dev.foresight.api.v1alpha1.ProbeMonitorStatus;
import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.api.v1alpha1.TrendPoint;
import dev.foresight.controller.config.OperatorConfig;
import dev.foresight.controller.events.EventRecorder;
import dev.foresight.controller.job.JobNames;
import dev.foresight.controller.job.ScanJobBuilder;
import dev.foresight.controller.job.WorkerInformers;
import dev.foresight.controller.job.WorkerLabels;
import dev.foresight.controller.metrics.MonitorMetrics;
import dev.foresight.controller.observe.JobObserver;
import dev.foresight.controller.probe.ProbeResolution;
import dev.foresight.controller.probe.TrainingRefs;
import dev.foresight.controller.status.Conditions;
import dev.foresight.controller.status.NextStatus;
import dev.foresight.controller.status.StatusWriter;
import dev.foresight.controller.status.Transition;
import dev.foresight.controller.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a training run: a ProbeMonitor's scan Jobs list the ready checkpoints under its prefix,
 * and each chosen one gets a ProbeEvaluation of its own. Each reconcile observes (the monitor's
 * evaluations and its scan Job), validates (the spec), then acts: adopt pushed evaluations, keep
 * the results of finished ones, read a finished scan and create the evaluations it calls for (at
 * most a bounded number unfinished at once; the operator's cap still queues them), start the next
 * scan when it is due, prune history. Everything a restart needs is in status and in the cluster:
 * names are deterministic (creating twice hits "already exists") and {@link Backlog}'s cursors say
 * where the scans stand.
 */
@ControllerConfiguration(name = ProbeMonitorReconciler.NAME)
public class ProbeMonitorReconciler implements Reconciler<ProbeMonitor> {
  public static final String NAME = "probemonitor";
  /** Unfinished evaluations per monitor when the operator has no cap (FORESIGHT_MAX_IN_FLIGHT=0). */
  public static final int DEFAULT_UNFINISHED = 10;
  /** A failing scan is retried ever less often, up to this. */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
  /** Ready=True, and the reasons of Ready=False besides {@link Reason#InvalidSpec}. */
  static final String FOLLOWING = "Following";
  static final String SUSPENDED = "Suspended";
  static final String SCANNING = "Scanning";
  static final String SCAN_FAILED = "ScanFailed";
  static final String SCAN_SUCCEEDED = "ScanSucceeded";
  static final String NO_NEW_CHECKPOINT = "NoNewCheckpoint";
  static final String NEW_CHECKPOINTS = "NewCheckpoints";
  /** ProbeReady=True; its False reasons are {@link ProbeResolution#WAITING_FOR_TRAINING} and {@link Reason#TrainingFailed}. */
  static final String TRAINING_SUCCEEDED = "TrainingSucceeded";
  private static final Logger LOG = LoggerFactory.getLogger(ProbeMonitorReconciler.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final MonitorValidator validator;
  private final ScanJobBuilder scans;
  private final MonitorMetrics metrics;
  private final EventRecorder events;
  private final Clock clock;
  private final int unfinishedBound;
  private InformerEventSource<Job, ProbeMonitor> jobSource;
  private InformerEventSource<ProbeEvaluation, ProbeMonitor> evaluationSource;
  private TrainingRefs<ProbeMonitor> trainings;

  public ProbeMonitorReconciler(OperatorConfig config, MonitorMetrics metrics, EventRecorder events, Clock clock) {
    this.validator = new MonitorValidator(new SpecValidator(config));
    this.scans = new ScanJobBuilder(config);
    this.metrics = metrics;
    this.events = events;
    this.clock = clock;
    this.unfinishedBound = config.maxInFlight() > 0 ? config.maxInFlight() : DEFAULT_UNFINISHED;
  }

  @Override
  public List<EventSource<?, ProbeMonitor>> prepareEventSources(EventSourceContext<ProbeMonitor> context) {
    jobSource = WorkerInformers.jobs(context, ProbeMonitor.class, "scan-jobs", WorkerLabels.SCAN_SELECTOR);
    // By label, not owner: a trainer's callback pushes evaluations that only carry the label.
    evaluationSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(ProbeEvaluation.class,
            ProbeMonitor.class)
        .withName("monitored-evaluations")
        .withLabelSelector(WorkerLabels.MONITOR)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(e -> Set.of(new ResourceID(e.getMetadata().getLabels().get(WorkerLabels.MONITOR),
            e.getMetadata().getNamespace())))
        .build(), context);
    // Without a finalizer the reconciler never hears of a deletion: this informer does, to drop the
    // monitor's metric series (its evaluations and scan Jobs go by garbage collection).
    InformerEventSource<ProbeMonitor, ProbeMonitor> deletions = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ProbeMonitor.class, ProbeMonitor.class)
            .withName("monitor-deletions")
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(m -> Set.of())
            .withOnAddFilter(m -> false)
            .withOnUpdateFilter((a, b) -> false)
            .withOnDeleteFilter((m, unknown) -> {
              if (m.getSpec() != null && m.getSpec().getRun() != null) {
                metrics.remove(m.getMetadata().getNamespace(), m.getMetadata().getName(), m.getSpec().getRun());
              }
              return false;
            })
            .build(), context);
    trainings = TrainingRefs.watch(context, ProbeMonitor.class, "monitor-trainings",
        m -> m.getSpec() == null ? null : m.getSpec().getProbe());
    return List.of(jobSource, evaluationSource, deletions, trainings.eventSource());
  }

  /** One reconcile's view and what it decided, written after the status. */
  private final class Pass {
    final ProbeMonitor monitor;
    final ProbeMonitorStatus next;
    final Context<ProbeMonitor> context;
    final KubernetesClient client;
    final Instant now;
    final List<ProbeEvaluation> evaluations;
    final List<Transition> transitions = new ArrayList<>();
    final List<ProbeEvaluation> recorded = new ArrayList<>();
    int created;
    boolean scanFailed;

    Pass(ProbeMonitor monitor, Context<ProbeMonitor> context) {
      this.monitor = monitor;
      this.context = context;
      this.client = context.getClient();
      this.now = clock.instant();
      ProbeMonitorStatus current = monitor.getStatus();
      this.next = current == null ? new ProbeMonitorStatus() : MAPPER.convertValue(current, ProbeMonitorStatus.class);
      if (next.getConditions() == null) {
        next.setConditions(new ArrayList<>());
      }
      next.setObservedGeneration(monitor.getMetadata().getGeneration());
      this.evaluations = context.getSecondaryResourcesAsStream(ProbeEvaluation.class)
          .filter(e -> !e.isMarkedForDeletion()).toList();
    }

    String namespace() {
      return monitor.getMetadata().getNamespace();
    }

    void condition(String type, String status, String reason, String message) {
      Conditions.set(next.getConditions(), type, status, reason, message, monitor.getMetadata().getGeneration(), now);
    }
  }

  @Override
  public UpdateControl<ProbeMonitor> reconcile(ProbeMonitor monitor, Context<ProbeMonitor> context) {
    if (monitor.isMarkedForDeletion()) {
      return UpdateControl.noUpdate();
    }
    Pass pass = new Pass(monitor, context);
    List<String> problems = validator.validate(monitor);
    if (!problems.isEmpty()) {
      String message = "invalid spec: " + String.join("; ", problems);
      pass.next.setMessage(message);
      pass.condition(Conditions.READY, Conditions.FALSE, Reason.InvalidSpec.name(), message);
      if (!Reason.InvalidSpec.name().equals(readyReason(monitor.getStatus()))) {
        pass.transitions.add(new Transition(Transition.WARNING, Reason.InvalidSpec.name(), message));
      }
      finish(pass);
      return UpdateControl.noUpdate();
    }
    try {
      adopt(pass);
      record(pass);
      Optional<Duration> wait = monitor.getSpec().suspended() ? Optional.empty() : scan(pass);
      prune(pass);
      conditions(pass);
      training(pass);
      finish(pass);
      return wait.map(w -> UpdateControl.<ProbeMonitor>noUpdate().rescheduleAfter(w)).orElseGet(UpdateControl::noUpdate);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 && String.valueOf(e.getMessage()).contains("being terminated")) {
        LOG.debug("not following {}: its namespace is being deleted", ResourceID.fromResource(monitor));
        return UpdateControl.noUpdate();
      }
      throw e;
    }
  }

  /** Pushed evaluations carry the label but no owner: the monitor takes them on. */
  private void adopt(Pass pass) {
    String uid = pass.monitor.getMetadata().getUid();
    for (ProbeEvaluation e : pass.evaluations) {
      List<OwnerReference> owners = e.getMetadata().getOwnerReferences() == null ? List.of()
          : e.getMetadata().getOwnerReferences();
      if (owners.stream().anyMatch(o -> uid.equals(o.getUid()))) {
        continue;
      }
      boolean controlled = owners.stream().anyMatch(o -> Boolean.TRUE.equals(o.getController()));
      List<OwnerReference> adopted = new ArrayList<>(owners);
      adopted.add(MonitorEvaluations.ownerReference(pass.monitor, !controlled));
      patch(pass, e, Map.of("ownerReferences", adopted));
      LOG.info("{} adopted ProbeEvaluation {}", ResourceID.fromResource(pass.monitor), e.getMetadata().getName());
    }
  }

  /** Keeps the results of evaluations that finished since the last look (see {@link #finish}). */
  private void record(Pass pass) {
    for (ProbeEvaluation e : pass.evaluations) {
      Optional<Long> step = MonitorEvaluations.step(e);
      if (recorded(e) || step.isEmpty() || e.getStatus() == null || e.getStatus().getPhase() == null
          || !e.getStatus().getPhase().isFinal()) {
        continue;
      }
      Trend.record(pass.next, pass.monitor.getSpec(), e, step.get());
      pass.recorded.add(e);
      boolean ok = e.getStatus().getPhase() == Phase.Succeeded;
      pass.transitions.add(new Transition(ok ? Transition.NORMAL : Transition.WARNING, ok ? "Evaluated" : "EvaluationFailed",
          "step " + step.get() + " (ProbeEvaluation " + e.getMetadata().getName() + "): " + e.getStatus().getMessage()));
    }
  }

  private static boolean recorded(ProbeEvaluation e) {
    return e.getMetadata().getAnnotations() != null && e.getMetadata().getAnnotations().containsKey(WorkerLabels.RECORDED_ANNOTATION);
  }

  /** Reads a finished scan, starts the next one when due; returns when to look again. */
  private Optional<Duration> scan(Pass pass) {
    ProbeMonitorStatus s = pass.next;
    boolean backfillNext = false;
    if (s.getScanJobName() != null) {
      Optional<Job> job = scanJob(pass, s.getScanJobName());
      if (job.isPresent()) {
        List<Pod> pods = JobObserver.finished(job.get()) ? pass.client.pods().inNamespace(pass.namespace())
            .withLabel(WorkerLabels.JOB, s.getScanJobName()).list().getItems() : List.of();
        Optional<ScanOutcome> outcome = ScanOutcome.of(job.get(), pods);
        if (outcome.isEmpty()) {
          // The Job's verdict wakes this reconciler; its deadline bounds the wait.
          return Optional.of(Duration.ofSeconds(ScanJobBuilder.DEADLINE_SECONDS));
        }
        backfillNext = read(pass, job.get(), outcome.get());
      }
      s.setScanJobName(null);
      // In milliseconds, unlike other times: it names the next scan Job, and two scans may end within a second.
      s.setLastScanTime(pass.now.truncatedTo(ChronoUnit.MILLIS).toString());
    }
    Instant last = JobObserver.time(s.getLastScanTime());
    Duration interval = interval(pass, last);
    boolean due = last == null || !pass.now.isBefore(last.plus(interval));
    // A backlog moves as fast as its evaluations finish, not one page per poll: once half the
    // bound is free again, page on at once (a scan for new checkpoints still comes when due).
    boolean backlogRoom = s.getBackfillBelow() != null && !Conditions.isTrue(s.getConditions(), Conditions.SCAN_FAILED)
        && unfinishedBound - unfinished(pass) >= Math.max(1, unfinishedBound / 2);
    if (!backfillNext && !due && !backlogRoom) {
      return Optional.of(Duration.between(pass.now, last.plus(interval)));
    }
    startScan(pass, Backlog.next(s.getLastSeenStep(), s.getBackfillBelow(), backfillNext || !due && backlogRoom));
    return Optional.of(Duration.ofSeconds(ScanJobBuilder.DEADLINE_SECONDS));
  }

  /** The scan Job from the cache, or from the API server when the cache has not seen it (yet). */
  private Optional<Job> scanJob(Pass pass, String name) {
    Optional<Job> cached = jobSource.get(new ResourceID(name, pass.namespace()));
    return cached.isPresent() ? cached
        : Optional.ofNullable(pass.client.batch().v1().jobs().inNamespace(pass.namespace()).withName(name).get());
  }

  /** Applies a finished scan; returns whether a backfill scan should follow at once. */
  private boolean read(Pass pass, Job job, ScanOutcome outcome) {
    ProbeMonitorStatus s = pass.next;
    if (outcome instanceof ScanOutcome.Failed f) {
      pass.scanFailed = true;
      pass.condition(Conditions.SCAN_FAILED, Conditions.TRUE, SCAN_FAILED, f.message());
      pass.transitions.add(new Transition(Transition.WARNING, SCAN_FAILED, f.message()));
      return false;
    }
    ScanReport report = ((ScanOutcome.Listed) outcome).report();
    pass.condition(Conditions.SCAN_FAILED, Conditions.FALSE, SCAN_SUCCEEDED,
        "the last scan listed " + report.getReadyTotal() + " ready checkpoint(s)");
    String below = job.getMetadata().getAnnotations() == null ? null
        : job.getMetadata().getAnnotations().get(WorkerLabels.SCAN_BELOW_ANNOTATION);
    Backlog.Kind kind = below != null ? Backlog.Kind.BACKFILL
        : s.getLastSeenStep() == null ? Backlog.Kind.FIRST : Backlog.Kind.NEW;
    Set<Long> known = new HashSet<>();
    pass.evaluations.forEach(e -> MonitorEvaluations.step(e).ifPresent(known::add));
    if (s.getTrend() != null) {
      s.getTrend().stream().map(TrendPoint::getStep).forEach(known::add);
    }
    int unfinished = unfinished(pass);
    Backlog.Plan plan = Backlog.plan(pass.monitor.getSpec(), s.getLastSeenStep(), s.getBackfillBelow(), kind, report,
        known, unfinishedBound - unfinished);
    long made = counted(s.getCounts()) + unfinished;
    for (ReadyCheckpoint c : plan.create()) {
      create(pass, c, made++);
    }
    if (plan.newCheckpoint()) {
      s.setLastNewCheckpointTime(NextStatus.timestamp(pass.now));
    }
    s.setLastSeenStep(plan.lastSeenStep());
    s.setBackfillBelow(plan.backfillBelow());
    counts(s).setPending(plan.pending());
    if (kind != Backlog.Kind.BACKFILL) {
      List<PendingCheckpoint> notReady = report.getNotReady();
      s.setNotReady(new ArrayList<>(notReady.subList(0, Math.min(notReady.size(), ProbeMonitorStatus.MAX_PENDING))));
    }
    return plan.backfillNext();
  }

  private void create(Pass pass, ReadyCheckpoint checkpoint, long made) {
    ProbeEvaluation evaluation = MonitorEvaluations.build(pass.monitor, checkpoint.getStep(), checkpoint.getPath(), made);
    try {
      ProbeEvaluation created = pass.client.resource(evaluation).create();
      evaluationSource.handleRecentResourceCreate(ResourceID.fromResource(pass.monitor), created);
      pass.transitions.add(new Transition(Transition.NORMAL, "EvaluationCreated", "step " + checkpoint.getStep()
          + " is ready (" + checkpoint.getPath() + "): created ProbeEvaluation " + created.getMetadata().getName()));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // Made by an earlier attempt whose answer was lost, or by another replica: one per step.
    }
    pass.created++;
    ProbeMonitorStatus s = pass.next;
    if (s.getLastEvaluatedStep() == null || s.getLastEvaluatedStep() < checkpoint.getStep()) {
      s.setLastEvaluatedStep(checkpoint.getStep());
    }
  }

  private void startScan(Pass pass, Backlog.Kind kind) {
    ProbeMonitorStatus s = pass.next;
    Long above = Backlog.above(kind, pass.monitor.getSpec(), s.getLastSeenStep());
    Long below = kind == Backlog.Kind.BACKFILL ? s.getBackfillBelow() : null;
    // Named by the scan before it: asking again for the same look gives the same Job.
    String name = JobNames.ofScan(pass.monitor, kind + "/" + above + "/" + below + "/" + s.getLastScanTime());
    Job desired = scans.build(pass.monitor, name, above, below);
    try {
      Job created = pass.client.resource(desired).create();
      jobSource.handleRecentResourceCreate(ResourceID.fromResource(pass.monitor), created);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    s.setScanJobName(name);
  }

  /**
   * The poll interval, stretched while scans fail: after a failed scan, wait as long as the scans
   * had been failing by then (so the waits double), between the poll interval and {@link #MAX_BACKOFF}.
   */
  private static Duration interval(Pass pass, Instant lastScan) {
    ProbeMonitorSpec spec = pass.monitor.getSpec();
    Duration poll = Duration.ofSeconds(spec.getPollSeconds() == null ? ProbeMonitorSpec.DEFAULT_POLL_SECONDS : spec.getPollSeconds());
    Optional<Instant> failingSince = Conditions.find(pass.next.getConditions(), Conditions.SCAN_FAILED)
        .filter(c -> Conditions.TRUE.equals(c.getStatus()))
        .map(c -> JobObserver.time(c.getLastTransitionTime()));
    if (failingSince.isEmpty() || failingSince.get() == null || lastScan == null) {
      return poll;
    }
    Duration failing = Duration.between(failingSince.get(), lastScan);
    Duration backoff = failing.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : failing;
    return backoff.compareTo(poll) > 0 ? backoff : poll;
  }

  /**
   * Deletes the oldest finished evaluations beyond spec.historyLimit: only those whose results the
   * status already holds, and only where no scan looks again ({@link Backlog#prunable}).
   */
  private void prune(Pass pass) {
    ProbeMonitorSpec spec = pass.monitor.getSpec();
    int limit = spec.getHistoryLimit() == null ? ProbeMonitorSpec.DEFAULT_HISTORY_LIMIT : spec.getHistoryLimit();
    List<ProbeEvaluation> finished = pass.evaluations.stream()
        .filter(e -> e.getStatus() != null && e.getStatus().getPhase() != null && e.getStatus().getPhase().isFinal())
        .filter(e -> MonitorEvaluations.step(e).isPresent())
        .sorted(Comparator.comparing(e -> MonitorEvaluations.step(e).orElseThrow()))
        .toList();
    // The oldest beyond the limit; one not yet recorded, or where a scan may look again, waits.
    for (ProbeEvaluation e : finished.subList(0, Math.max(0, finished.size() - limit))) {
      long step = MonitorEvaluations.step(e).orElseThrow();
      if (recorded(e) && Backlog.prunable(step, pass.next.getLastSeenStep(), pass.next.getBackfillBelow())) {
        pass.client.resources(ProbeEvaluation.class).inNamespace(pass.namespace()).withName(e.getMetadata().getName())
            .delete();
      }
    }
  }

  private void conditions(Pass pass) {
    ProbeMonitorSpec spec = pass.monitor.getSpec();
    ProbeMonitorStatus s = pass.next;
    counts(s).setRunning(unfinished(pass));
    if (spec.suspended()) {
      pass.condition(Conditions.READY, Conditions.FALSE, SUSPENDED, "spec.suspend is true: no scans, no new evaluations");
      pass.condition(Conditions.STALLED, Conditions.FALSE, SUSPENDED, "suspended");
      s.setMessage("suspended at step " + s.getLastSeenStep());
      return;
    }
    Instant since = Optional.ofNullable(JobObserver.time(s.getLastNewCheckpointTime()))
        .orElse(JobObserver.time(pass.monitor.getMetadata().getCreationTimestamp()));
    int stalledAfter = spec.getStalledAfterSeconds() == null ? ProbeMonitorSpec.DEFAULT_STALLED_AFTER_SECONDS
        : spec.getStalledAfterSeconds();
    if (since != null && pass.now.isAfter(since.plusSeconds(stalledAfter))) {
      pass.condition(Conditions.STALLED, Conditions.TRUE, NO_NEW_CHECKPOINT, "no new ready checkpoint since "
          + NextStatus.timestamp(since) + " (spec.stalledAfterSeconds=" + stalledAfter + ")");
    } else {
      pass.condition(Conditions.STALLED, Conditions.FALSE, NEW_CHECKPOINTS, "a new checkpoint was ready within "
          + stalledAfter + " s");
    }
    Optional<String> failure = Conditions.find(s.getConditions(), Conditions.SCAN_FAILED)
        .filter(c -> Conditions.TRUE.equals(c.getStatus())).map(Condition::getMessage);
    if (failure.isPresent()) {
      pass.condition(Conditions.READY, Conditions.FALSE, SCAN_FAILED, failure.get());
      s.setMessage("the scan failed; retrying with backoff: " + failure.get());
    } else if (s.getLastScanTime() == null) {
      pass.condition(Conditions.READY, Conditions.FALSE, SCANNING, "waiting for the first scan of " + spec.getCheckpoints().getUri());
      s.setMessage("scanning " + spec.getCheckpoints().getUri());
    } else {
      String message = "following " + spec.getCheckpoints().getUri() + ": last seen step " + s.getLastSeenStep()
          + ", " + counts(s).getRunning() + " evaluation(s) running, " + counts(s).getPending() + " pending";
      pass.condition(Conditions.READY, Conditions.TRUE, FOLLOWING, message);
      s.setMessage(message);
    }
  }

  /**
   * Where the ProbeTraining that spec.probe.trainingRef names stands, as condition ProbeReady and
   * ahead of the message: the monitor goes on scanning and creating evaluations, which wait for
   * the training themselves (or fail with it), so no checkpoint is missed meanwhile.
   */
  private void training(Pass pass) {
    ProbeMonitorSpec spec = pass.monitor.getSpec();
    ProbeMonitorStatus s = pass.next;
    if (spec.getProbe().getTrainingRef() == null) {
      s.getConditions().removeIf(c -> Conditions.PROBE_READY.equals(c.getType()));
      return;
    }
    String secret = spec.getCheckpoints() == null ? null : spec.getCheckpoints().getCredentialsSecret();
    ProbeResolution probe = trainings.resolve(pass.monitor, secret);
    String before = probeReadyReason(pass.monitor.getStatus());
    if (probe instanceof ProbeResolution.Ready ready) {
      String message = "ProbeTraining " + spec.getProbe().getTrainingRef() + " succeeded: bundle " + ready.probe().getUri();
      pass.condition(Conditions.PROBE_READY, Conditions.TRUE, TRAINING_SUCCEEDED, message);
      if (before != null && !TRAINING_SUCCEEDED.equals(before)) {
        pass.transitions.add(new Transition(Transition.NORMAL, TRAINING_SUCCEEDED, message));
      }
      return;
    }
    boolean failed = probe instanceof ProbeResolution.Failed;
    String reason = failed ? Reason.TrainingFailed.name() : ProbeResolution.WAITING_FOR_TRAINING;
    String message = failed ? ((ProbeResolution.Failed) probe).message() : ((ProbeResolution.Waiting) probe).message();
    pass.condition(Conditions.PROBE_READY, Conditions.FALSE, reason, message);
    s.setMessage(s.getMessage() == null ? message : message + "; " + s.getMessage());
    if (failed && !reason.equals(before)) {
      pass.transitions.add(new Transition(Transition.WARNING, reason, message));
    }
  }

  private static String probeReadyReason(ProbeMonitorStatus status) {
    return status == null ? null : Conditions.find(status.getConditions(), Conditions.PROBE_READY)
        .map(Condition::getReason).orElse(null);
  }

  /** Writes the status if it changed, then what follows a successful write: marks, events, metrics. */
  private void finish(Pass pass) {
    ProbeMonitor monitor = pass.monitor;
    if (!MAPPER.valueToTree(pass.next).equals(MAPPER.valueToTree(monitor.getStatus() == null ? new ProbeMonitorStatus()
        : monitor.getStatus()))) {
      StatusWriter.write(monitor, pass.next, pass.context, ProbeMonitor::new);
    }
    // After the status holds their results. Should the operator stop between the two, the next one
    // records them again: the trend keeps one point per step, the counts may count them twice.
    for (ProbeEvaluation e : pass.recorded) {
      patch(pass, e, Map.of("annotations", Map.of(WorkerLabels.RECORDED_ANNOTATION, "true")));
      metrics.evaluationFinished(monitor, e.getStatus().getPhase() == Phase.Succeeded
          ? MonitorMetrics.Result.succeeded : MonitorMetrics.Result.failed);
    }
    if (pass.scanFailed) {
      metrics.scanFailed(monitor);
    }
    pass.transitions.forEach(t -> events.record(monitor, t));
    metrics.observed(monitor);
  }

  /**
   * A merge patch of the evaluation's metadata, sent as is (by name, the client would first GET it:
   * no such right). The result goes into the cache at once, so that the next reconcile does not
   * see the evaluation as it was (and, say, record it a second time).
   */
  private void patch(Pass pass, ProbeEvaluation e, Map<String, Object> metadata) {
    ProbeEvaluation patched = pass.client.resource(e)
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("metadata", metadata)));
    evaluationSource.handleRecentResourceUpdate(ResourceID.fromResource(pass.monitor), patched, e);
  }

  private static int unfinished(Pass pass) {
    return pass.created + (int) pass.evaluations.stream()
        .filter(e -> e.getStatus() == null || e.getStatus().getPhase() == null || !e.getStatus().getPhase().isFinal())
        .count();
  }

  private static long counted(MonitorCounts counts) {
    return counts == null ? 0 : (long) counts.getSucceeded() + counts.getFailed();
  }

  private static MonitorCounts counts(ProbeMonitorStatus s) {
    if (s.getCounts() == null) {
      s.setCounts(new MonitorCounts());
    }
    return s.getCounts();
  }

  private static String readyReason(ProbeMonitorStatus status) {
    return status == null ? null : Conditions.find(status.getConditions(), Conditions.READY)
        .map(Condition::getReason).orElse(null);
  }
}
