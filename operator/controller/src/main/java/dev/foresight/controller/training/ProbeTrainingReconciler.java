package dev.foresight.controller.training;

import dev.foresight.api.report.InvalidReportException;
import dev.foresight.api.training.CheckReport;
import dev.foresight.api.training.TrainingPlan;
import dev.foresight.api.training.TrainingReport;
import dev.foresight.api.training.TrainingReports;
import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.v1alpha1.FamilyMetrics;
import dev.foresight.api.v1alpha1.LabelledCheckpoint;
import dev.foresight.api.v1alpha1.MonitorCheckpoints;
import dev.foresight.api.v1alpha1.PeriodicValidation;
import dev.foresight.api.v1alpha1.ProbeMonitor;
import dev.foresight.api.v1alpha1.ProbeMonitorSpec;
import dev.foresight.api.v1alpha1.ProbeTraining;
import dev.foresight.api.v1alpha1.ProbeTrainingSpec;
import dev.foresight.api.v1alpha1.ProbeTrainingStatus;
import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.api.v1alpha1.TrainedBundle;
import dev.foresight.api.v1alpha1.TrainingProgress;
import dev.foresight.api.v1alpha1.TrainingStage;
import dev.foresight.api.worker.TrainingStageCommand.Stage;
import dev.foresight.controller.config.OperatorConfig;
import dev.foresight.controller.events.EventRecorder;
import dev.foresight.controller.job.JobNames;
import dev.foresight.controller.job.TrainingJobBuilder;
import dev.foresight.controller.job.WorkerInformers;
import dev.foresight.controller.job.WorkerLabels;
import dev.foresight.controller.metrics.TrainingMetrics;
import dev.foresight.controller.observe.Evidence;
import dev.foresight.controller.observe.JobObserver;
import dev.foresight.controller.observe.PodCreationEvents;
import dev.foresight.controller.observe.WorkerState;
import dev.foresight.controller.status.Conditions;
import dev.foresight.controller.status.StatusWriter;
import dev.foresight.controller.status.Transition;
import dev.foresight.controller.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a probe bundle in the cluster: a ProbeTraining's stages (check, label or import, extract,
 * train) run one after another, each as a Job on the worker image reading the plan ConfigMap. Each
 * reconcile observes (the current stage's Job and its pods), validates (the spec, and the named
 * ProbeMonitor in monitor mode), then acts: create the stage's Job, record its progress, or read its
 * report and start the next stage in the same reconcile. The status is the record of which stage
 * runs; Job names are a function of the resource and the stage, so a restarted operator finds the
 * running stage's Job instead of making a second one, and the stages' outputs are named so that a
 * Job made again redoes only what is missing.
 *
 * <p>In monitor mode a missing ProbeMonitor is waited for (Accepted=False, MonitorNotFound) with no
 * timer: an informer on ProbeMonitors wakes the trainings that name one when it appears.
 */
@ControllerConfiguration(name = ProbeTrainingReconciler.NAME)
public class ProbeTrainingReconciler implements Reconciler<ProbeTraining> {
  public static final String NAME = "probetraining";
  /** A Job with no pod changes nothing the informers see while the Job controller is refused: look again. */
  static final Duration PODLESS_RECHECK = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(ProbeTrainingReconciler.class);

  private final TrainingValidator validator;
  private final TrainingJobBuilder jobs;
  private final TrainingMetrics metrics;
  private final EventRecorder events;
  private final Clock clock;
  private InformerEventSource<Job, ProbeTraining> jobSource;
  private InformerEventSource<ProbeMonitor, ProbeTraining> monitorSource;
  private volatile IndexerResourceCache<ProbeTraining> trainings;

  public ProbeTrainingReconciler(OperatorConfig config, TrainingMetrics metrics, EventRecorder events, Clock clock) {
    this.validator = new TrainingValidator(new SpecValidator(config));
    this.jobs = new TrainingJobBuilder(config);
    this.metrics = metrics;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, ProbeTraining>> prepareEventSources(EventSourceContext<ProbeTraining> context) {
    IndexerResourceCache<ProbeTraining> cache = context.getPrimaryCache();
    trainings = cache;
    jobSource = WorkerInformers.jobs(context, ProbeTraining.class, "training-jobs", WorkerLabels.TRAINING_SELECTOR);
    InformerEventSource<Pod, ProbeTraining> podSource = WorkerInformers.pods(context, ProbeTraining.class,
        "training-pods", WorkerLabels.TRAINING_SELECTOR, WorkerLabels.TRAINING_ANNOTATION);
    // The trainings that take their checkpoints from a monitor hear of it appearing (or changing).
    monitorSource = new InformerEventSource<>(InformerEventSourceConfiguration.from(ProbeMonitor.class, ProbeTraining.class)
        .withName("training-monitors")
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(m -> cache.list(m.getMetadata().getNamespace())
            .filter(t -> monitorOf(t).filter(c -> c.getName().equals(m.getMetadata().getName())).isPresent())
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet()))
        .build(), context);
    return List.of(jobSource, podSource, monitorSource);
  }

  /** Trainings not yet Succeeded or Failed, from the cache (the in-progress gauge). */
  public long inProgress() {
    IndexerResourceCache<ProbeTraining> cache = trainings;
    return cache == null ? 0 : cache.list()
        .filter(t -> t.getStatus() == null || t.getStatus().getPhase() == null || !t.getStatus().getPhase().isFinal())
        .count();
  }

  private static Optional<MonitorCheckpoints> monitorOf(ProbeTraining t) {
    return Optional.ofNullable(t.getSpec()).map(ProbeTrainingSpec::getCheckpoints).map(c -> c.getMonitor());
  }

  /**
   * What one reconcile sees beyond the training: the client, and in monitor mode the monitor's
   * prefix and validation (null while the monitor is missing).
   */
  private record View(TrainingPass pass, KubernetesClient client, Context<ProbeTraining> context,
      Optional<MonitorCheckpoints> monitor, CheckpointPrefix prefix, PeriodicValidation validation) {
    ProbeTraining training() {
      return pass.training;
    }

    ProbeTrainingSpec spec() {
      return pass.training.getSpec();
    }

    /** Where the monitor's validated evaluations keep their outputs, or null. */
    String validationOutput() {
      return validation == null ? null : validation.getOutput();
    }
  }

  @Override
  public UpdateControl<ProbeTraining> reconcile(ProbeTraining training, Context<ProbeTraining> context) {
    ProbeTrainingStatus current = training.getStatus();
    if (current != null && current.getPhase() != null && current.getPhase().isFinal()) {
      return UpdateControl.noUpdate();
    }
    TrainingPass pass = new TrainingPass(training, clock.instant());
    Optional<MonitorCheckpoints> monitor = monitorOf(training);
    Optional<ProbeMonitorSpec> monitorSpec = monitor
        .flatMap(m -> monitorSource.get(new ResourceID(m.getName(), pass.namespace())))
        .map(ProbeMonitor::getSpec);
    CheckpointPrefix prefix = monitorSpec.map(ProbeMonitorSpec::getCheckpoints).orElse(null);
    PeriodicValidation validation = monitorSpec.map(ProbeMonitorSpec::getValidation).orElse(null);
    View view = new View(pass, context.getClient(), context, monitor, prefix, validation);
    Duration recheck;
    try {
      recheck = advance(view);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 && String.valueOf(e.getMessage()).contains("being terminated")) {
        LOG.debug("not training {}: its namespace is being deleted", ResourceID.fromResource(training));
        return UpdateControl.noUpdate();
      }
      throw e;
    }
    finish(pass, context);
    UpdateControl<ProbeTraining> control = UpdateControl.noUpdate();
    return recheck == null ? control : control.rescheduleAfter(recheck);
  }

  /** Validates, then follows the current stage's Job or starts it; returns when to look again unasked. */
  private Duration advance(View view) {
    TrainingPass pass = view.pass();
    List<String> problems = validator.validate(view.spec(), view.prefix(), view.validation());
    if (!problems.isEmpty()) {
      pass.failed(Reason.InvalidSpec, "invalid spec: " + String.join("; ", problems));
      return null;
    }
    TrainingStage stage = pass.stage();
    Stage command = command(stage, view.spec());
    String jobName = JobNames.ofTraining(view.training(), command);
    Optional<Job> job = jobSource.get(new ResourceID(jobName, pass.namespace()));
    if (job.isPresent()) {
      pass.accepted();
      return follow(view, stage, command, job.get());
    }
    return start(view, stage);
  }

  static Stage command(TrainingStage stage, ProbeTrainingSpec spec) {
    return switch (stage) {
      case Checking -> Stage.CHECK;
      case Labelling -> spec.getLabels().imported() ? Stage.IMPORT : Stage.LABEL;
      case Extracting -> Stage.EXTRACT;
      case Training, Done -> Stage.TRAIN;
    };
  }

  /**
   * Creates the plan ConfigMap (again, harmlessly) and the stage's Job. A Job missing after a
   * restart (deleted, or gone with its TTL while no operator ran) is made again: the stage's pods
   * skip every output already written.
   */
  private Duration start(View view, TrainingStage stage) {
    TrainingPass pass = view.pass();
    if (view.monitor().isPresent() && view.prefix() == null) {
      pass.waitingForMonitor(view.monitor().get().getName());
      return null;
    }
    pass.accepted();
    ProbeTrainingSpec spec = view.spec();
    TrainingPlan plan = TrainingPlan.of(view.training().getMetadata().getName(), spec, view.prefix(),
        view.validationOutput());
    if (pass.next.getWorkDir() != null && !pass.next.getWorkDir().equals(plan.workDir())) {
      // The monitor's prefix (or validation output) changed under a training that already wrote to the old work folder.
      pass.failed(Reason.InvalidSpec, "spec.checkpoints.monitor: ProbeMonitor " + view.monitor().map(m -> m.getName())
          .orElse("?") + " now points elsewhere (" + view.prefix().getUri()
          + (plan.validationOutput() == null ? "" : ", validation output " + plan.validationOutput())
          + "): the training works in " + pass.next.getWorkDir() + "; create a new ProbeTraining for the new prefix");
      return null;
    }
    Stage command = command(stage, spec);
    int completions = completions(stage, spec, pass.next.getProgress());
    createPlan(view, plan);
    Job desired = jobs.build(view.training(), command, plan,
        TrainingValidator.credentialsSecret(spec, view.prefix()), completions);
    Job created;
    try {
      created = createJob(view, desired);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 400 || e.getCode() == 422) {
        // The spec passed our checks but not the API server's (a malformed toleration, say).
        pass.failed(Reason.InvalidSpec, "invalid spec: the API server rejected the " + stage.name().toLowerCase(Locale.ROOT)
            + " Job: " + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
            : e.getMessage()));
        return null;
      }
      throw e;
    }
    pass.started(stage, created.getMetadata().getName(), plan.workDir(), describe(command, completions));
    if (command.indexed()) {
      progress(pass, stage, spec, created);
    }
    // JOSDK drops the informer's event for a Job this reconcile made, and the Job controller's
    // refusals to make its pods change nothing the informers see: look again.
    return PODLESS_RECHECK;
  }

  private static String describe(Stage command, int completions) {
    return "foresight training " + command.cliName() + (command.indexed() ? " over " + completions + " indexes" : "");
  }

  /** Indexes of an indexed stage, from the check's counts that the status keeps. */
  static int completions(TrainingStage stage, ProbeTrainingSpec spec, TrainingProgress progress) {
    if (stage == TrainingStage.Checking || stage == TrainingStage.Training) {
      return 1;
    }
    if (progress == null || progress.getCheckpoints() == null) {
      throw new IllegalStateException("stage " + stage + " before the check counted the checkpoints");
    }
    int checkpoints = progress.getCheckpoints();
    return stage == TrainingStage.Labelling ? checkpoints * shardsPerCheckpoint(spec) : checkpoints;
  }

  private static int shardsPerCheckpoint(ProbeTrainingSpec spec) {
    return spec.getLabels().getGenerate() != null ? spec.getLabels().getGenerate().shards() : 1;
  }

  /** The plan every stage pod mounts; the same content every time, so an existing one is this one. */
  private void createPlan(View view, TrainingPlan plan) {
    try {
      view.client().resource(jobs.planConfigMap(view.training(), plan)).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  private Job createJob(View view, Job desired) {
    try {
      Job created = view.client().resource(desired).create();
      jobSource.handleRecentResourceCreate(ResourceID.fromResource(view.training()), created);
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // Made by an earlier attempt whose answer was lost: the name is ours, so is the Job.
      Job existing = view.client().resource(desired).get();
      if (existing == null || !existing.hasOwnerReferenceFor(view.training().getMetadata().getUid())) {
        throw new IllegalStateException("Job " + desired.getMetadata().getName()
            + " exists but does not belong to this ProbeTraining", e);
      }
      return existing;
    }
  }

  /** Records what the stage's Job and its pods say; on success, reads the report and starts the next stage. */
  private Duration follow(View view, TrainingStage stage, Stage command, Job job) {
    TrainingPass pass = view.pass();
    String jobName = job.getMetadata().getName();
    pass.next.setJobName(jobName);
    List<Pod> cached = cachedPods(jobName, view.context());
    boolean podless = cached.isEmpty() && !Boolean.TRUE.equals(job.getSpec().getSuspend());
    String refusal = podless ? PodCreationEvents.newestRefusal(view.client(), job).orElse(null) : null;
    // The pod and Job informers are separate watches: the verdict can arrive before the pod that
    // explains it. Ask the API server once rather than record a wrong reason for good.
    Optional<Integer> failedIndex = command.indexed() ? IndexedProgress.firstFailed(job) : Optional.empty();
    boolean unexplained = JobObserver.finished(job) && !JobObserver.anyWorkerExited(
        failedIndex.map(i -> ofIndex(cached, i)).orElse(cached));
    List<Pod> pods = unexplained || refusal != null
        ? view.client().pods().inNamespace(pass.namespace()).withLabel(WorkerLabels.JOB, jobName).list().getItems()
        : cached;
    List<Pod> speaking = failedIndex.map(i -> ofIndex(pods, i)).filter(p -> !p.isEmpty()).orElse(pods);
    WorkerState state = JobObserver.observe(job, speaking, new Evidence(refusal, schedulerMessage(pass.next)));
    if (state instanceof WorkerState.Failed && !JobObserver.finished(job)) {
      suspend(view, job);
    }
    if (command.indexed()) {
      progress(pass, stage, view.spec(), job);
    }
    if (state instanceof WorkerState.Completed c) {
      return completed(view, stage, c);
    }
    if (state instanceof WorkerState.Failed f) {
      pass.failed(f.reason(), where(view, stage, command, failedIndex) + f.message());
      return null;
    }
    unfinished(pass, state);
    return podless ? PODLESS_RECHECK : null;
  }

  private static List<Pod> ofIndex(List<Pod> pods, int index) {
    String wanted = Integer.toString(index);
    return pods.stream().filter(p -> wanted.equals(label(p, WorkerLabels.COMPLETION_INDEX))
        || p.getMetadata().getAnnotations() != null
        && wanted.equals(p.getMetadata().getAnnotations().get(WorkerLabels.COMPLETION_INDEX))).toList();
  }

  private static String label(Pod pod, String key) {
    return pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(key);
  }

  /** "labelling failed at checkpoint … (step …), shard 1 of 2 (index 3 of Job …): " and the like. */
  private static String where(View view, TrainingStage stage, Stage command, Optional<Integer> failedIndex) {
    String failed = stage.name().toLowerCase(Locale.ROOT) + " failed";
    TrainingProgress progress = view.pass().next.getProgress();
    return failedIndex.map(i -> failed + " at " + new FailedIndex(command, i,
            progress == null ? null : progress.getCheckpoints(), view.pass().next.getWorkDir())
            .describe(view.spec(), JobNames.ofTraining(view.training(), command)) + ": ")
        .orElse(failed + ": ");
  }

  /** Counts from the Job's index lists: shards (and the prompts they hold) or checkpoints extracted. */
  private static void progress(TrainingPass pass, TrainingStage stage, ProbeTrainingSpec spec, Job job) {
    TrainingProgress p = pass.progress();
    TreeSet<Integer> done = IndexedProgress.completed(job);
    if (stage == TrainingStage.Extracting) {
      p.setCheckpointsExtracted(done.size());
    } else if (stage == TrainingStage.Labelling) {
      int shards = shardsPerCheckpoint(spec);
      p.setShardsDone(done.size());
      if (p.getPromptsTotal() != null && p.getCheckpoints() != null && p.getCheckpoints() > 0) {
        long perCheckpoint = p.getPromptsTotal() / p.getCheckpoints();
        p.setPromptsLabelled(IndexedProgress.promptsLabelled(done, shards, perCheckpoint));
      }
    }
    p.setSummary(TrainingProgress.summarize(stage, p));
  }

  private Duration completed(View view, TrainingStage stage, WorkerState.Completed c) {
    TrainingPass pass = view.pass();
    switch (stage) {
      case Checking -> {
        CheckReport report;
        try {
          report = TrainingReports.decodeCheck(c.terminationMessage(), field -> LOG.debug("check report: ignored {}", field));
        } catch (InvalidReportException | RuntimeException e) {
          pass.failed(Reason.WorkerFailed, "checking: the check stage's report is unusable: " + e.getMessage());
          return null;
        }
        List<LabelledCheckpoint> list = view.spec().getCheckpoints().getList();
        if (list != null && list.size() != report.checkpoints()) {
          pass.failed(Reason.WorkerFailed, "checking: the check stage counted " + report.checkpoints()
              + " checkpoints, but spec.checkpoints.list has " + list.size());
          return null;
        }
        int shards = shardsPerCheckpoint(view.spec()) * report.checkpoints();
        TrainingProgress p = pass.progress();
        p.setCheckpoints(report.checkpoints());
        p.setShards(shards);
        p.setShardsDone(0);
        p.setPromptsTotal(report.promptsPerCheckpoint() * report.checkpoints());
        p.setPromptsLabelled(0L);
        p.setSummary(TrainingProgress.summarize(TrainingStage.Labelling, p));
        pass.next.setArchitecture(report.architecture());
        pass.accepted();
        pass.finishedStage(stage, TrainingStage.Labelling);
        return start(view, TrainingStage.Labelling);
      }
      case Labelling -> {
        pass.finishedStage(stage, TrainingStage.Extracting);
        pass.progress().setCheckpointsExtracted(0);
        return start(view, TrainingStage.Extracting);
      }
      case Extracting -> {
        pass.finishedStage(stage, TrainingStage.Training);
        pass.progress().setSummary(null);
        return start(view, TrainingStage.Training);
      }
      default -> {
        trained(pass, c);
        return null;
      }
    }
  }

  /** The training stage's report becomes the families, the chosen one and the bundle in status. */
  private static void trained(TrainingPass pass, WorkerState.Completed c) {
    TrainingReport report;
    try {
      report = TrainingReports.decodeTraining(c.terminationMessage(), field -> LOG.debug("training report: ignored {}", field));
    } catch (InvalidReportException | RuntimeException e) {
      pass.failed(Reason.WorkerFailed, "training: the training stage's report is unusable: " + e.getMessage());
      return;
    }
    ProbeTrainingStatus s = pass.next;
    s.setFamilies(report.families());
    s.setChosenFamily(report.chosen());
    FamilyMetrics chosen = report.families().stream().filter(f -> report.chosen().equals(f.getFamily())).findFirst()
        .orElseThrow();
    s.setBestHeldOutAuroc(chosen.getAuroc());
    s.setBundle(new TrainedBundle(report.uri(), report.fingerprint(), report.chosen()));
    pass.finishedStage(TrainingStage.Training, TrainingStage.Done);
    pass.succeeded("trained " + report.families().size() + " famil" + (report.families().size() == 1 ? "y" : "ies")
        + "; chose " + report.chosen() + (chosen.getAuroc() == null ? ""
        : String.format(Locale.ROOT, " (held-out AUROC %.3f)", chosen.getAuroc())) + "; bundle " + report.uri()
        + " (" + report.fingerprint() + ")");
  }

  /** The stage's Job has not given its verdict: where its newest pod stands. */
  private static void unfinished(TrainingPass pass, WorkerState state) {
    if (state instanceof WorkerState.Unschedulable u) {
      if (!Reason.Unschedulable.name().equals(scheduledReason(pass.next))) {
        pass.transitions.add(new Transition(Transition.WARNING, Reason.Unschedulable.name(), u.message()));
      }
      pass.condition(Conditions.SCHEDULED, Conditions.FALSE, Reason.Unschedulable.name(), u.message());
      pass.following("the stage's pod cannot be scheduled: " + u.message(), false);
    } else if (state instanceof WorkerState.Starting s) {
      pass.condition(Conditions.SCHEDULED, s.scheduled() ? Conditions.TRUE : Conditions.FALSE,
          s.scheduled() ? TrainingPass.SCHEDULED : TrainingPass.PENDING, s.message());
      pass.following(s.message(), false);
    } else if (state instanceof WorkerState.Running r) {
      String where = r.nodeName() == null ? "" : " on node " + r.nodeName();
      pass.condition(Conditions.SCHEDULED, Conditions.TRUE, TrainingPass.SCHEDULED, "pod " + r.podName() + where);
      pass.following(r.exitCode() == null ? "pod " + r.podName() + " runs" + where
          : "pod " + r.podName() + " exited with code " + r.exitCode() + "; waiting for the Job's verdict", true);
    }
  }

  private static String scheduledReason(ProbeTrainingStatus status) {
    return Conditions.find(status.getConditions(), Conditions.SCHEDULED).map(Condition::getReason).orElse(null);
  }

  /** What the scheduler last said, while the status records a stage pod waiting for a node. */
  private static String schedulerMessage(ProbeTrainingStatus status) {
    return Conditions.find(status.getConditions(), Conditions.SCHEDULED)
        .filter(c -> Conditions.FALSE.equals(c.getStatus()) && Reason.Unschedulable.name().equals(c.getReason()))
        .map(Condition::getMessage)
        .orElse(null);
  }

  private static List<Pod> cachedPods(String jobName, Context<ProbeTraining> context) {
    return context.getSecondaryResourcesAsStream(Pod.class)
        .filter(p -> jobName.equals(label(p, WorkerLabels.JOB)))
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  /**
   * A pod that cannot pull its image or create its container waits forever holding its node (and
   * GPU); the Job never fails by itself. The training fails, so the Job is suspended, which removes
   * its pods and keeps the Job for inspection until its TTL.
   */
  private static void suspend(View view, Job job) {
    if (!Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      view.client().batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
          .withName(job.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");
    }
  }

  /** Writes the status if it changed, then what follows a successful write: events and metrics. */
  private void finish(TrainingPass pass, Context<ProbeTraining> context) {
    if (!pass.changed()) {
      return;
    }
    StatusWriter.write(pass.training, pass.next, context, ProbeTraining::new);
    pass.transitions.forEach(t -> events.record(pass.training, t));
    pass.finishedStages.forEach(f -> metrics.stageFinished(f.stage(), f.took()));
    if (pass.result != null) {
      metrics.finished(pass.training, pass.result);
    }
  }
}
