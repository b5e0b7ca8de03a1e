package dev.foresight.controller.evaluation;

import dev.foresight.api.v1alpha1.CheckpointSource;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.api.worker.WorkerCommand;
import dev.foresight.controller.config.ConfigKeys;
import dev.foresight.controller.config.OperatorConfig;
import dev.foresight.controller.events.EventRecorder;
import dev.foresight.controller.job.JobNames;
import dev.foresight.controller.job.WorkerJobBuilder;
import dev.foresight.controller.job.WorkerInformers;
import dev.foresight.controller.job.WorkerLabels;
import dev.foresight.controller.metrics.EvaluationMetrics;
import dev.foresight.controller.observe.Evidence;
import dev.foresight.controller.observe.JobObserver;
import dev.foresight.controller.observe.PodCreationEvents;
import dev.foresight.controller.observe.WorkerState;
import dev.foresight.controller.probe.ProbeResolution;
import dev.foresight.controller.probe.TrainingRefs;
import dev.foresight.controller.queue.AdmissionQueue;
import dev.foresight.controller.status.Conditions;
import dev.foresight.controller.status.NextStatus;
import dev.foresight.controller.status.StatusWriter;
import dev.foresight.controller.status.Transition;
import dev.foresight.controller.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a ProbeEvaluation into one worker Job and the Job's outcome into status. Each reconcile
 * observes (the Job and its pods), validates (the spec), then acts (queue, create the Job, or
 * record what the worker did), and writes the whole status when it changed. The status is the
 * record: a reconcile after a restart finds the same Job by its deterministic name and never
 * makes a second one, and a final status is never rewritten.
 */
@ControllerConfiguration(name = ProbeEvaluationReconciler.NAME)
public class ProbeEvaluationReconciler implements Reconciler<ProbeEvaluation> {
  public static final String NAME = "probeevaluation";
  /**
   * Queued evaluations are woken as soon as a slot frees; this periodic look covers the slots freed
   * by a deleted evaluation, which no reconcile sees.
   */
  static final Duration QUEUED_RECHECK = Duration.ofSeconds(30);
  /** Bounds of the look at a Job that has no pod yet (see {@link #follow}). */
  static final Duration PODLESS_RECHECK_MIN = Duration.ofSeconds(5);
  static final Duration PODLESS_RECHECK_MAX = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(ProbeEvaluationReconciler.class);

  private final SpecValidator validator;
  private final WorkerJobBuilder jobs;
  private final AdmissionQueue admission;
  private final EvaluationMetrics metrics;
  private final EventRecorder events;
  private final Clock clock;
  private InformerEventSource<Job, ProbeEvaluation> jobSource;
  private SimpleInboundEventSource<ProbeEvaluation> wakeUps;
  private TrainingRefs<ProbeEvaluation> trainings;

  public ProbeEvaluationReconciler(OperatorConfig config, AdmissionQueue admission, EvaluationMetrics metrics,
      EventRecorder events, Clock clock) {
    this.validator = new SpecValidator(config);
    this.jobs = new WorkerJobBuilder(config);
    this.admission = admission;
    this.metrics = metrics;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, ProbeEvaluation>> prepareEventSources(EventSourceContext<ProbeEvaluation> context) {
    jobSource = WorkerInformers.jobs(context, ProbeEvaluation.class, "jobs", WorkerLabels.SELECTOR);
    InformerEventSource<Pod, ProbeEvaluation> podSource = WorkerInformers.pods(context, ProbeEvaluation.class, "pods",
        WorkerLabels.SELECTOR, WorkerLabels.EVALUATION_ANNOTATION);
    wakeUps = new SimpleInboundEventSource<>("admission");
    trainings = TrainingRefs.watch(context, ProbeEvaluation.class, "trainings",
        e -> e.getSpec() == null ? null : e.getSpec().getProbe());
    IndexerResourceCache<ProbeEvaluation> evaluations = context.getPrimaryCache();
    admission.observe(new AdmissionQueue.View() {
      @Override
      public Stream<ProbeEvaluation> evaluations() {
        return evaluations.list();
      }

      @Override
      public Optional<ProbeEvaluation> evaluation(ResourceID id) {
        return evaluations.get(id);
      }

      @Override
      public boolean hasJob(ProbeEvaluation evaluation) {
        return job(evaluation).isPresent();
      }

      @Override
      public boolean blocked(ProbeEvaluation evaluation) {
        return evaluation.getSpec() != null && evaluation.getSpec().getProbe() != null
            && !(probe(evaluation) instanceof ProbeResolution.Ready);
      }
    });
    return List.of(jobSource, podSource, wakeUps, trainings.eventSource());
  }

  @Override
  public UpdateControl<ProbeEvaluation> reconcile(ProbeEvaluation evaluation, Context<ProbeEvaluation> context) {
    ProbeEvaluationStatus current = evaluation.getStatus();
    if (current != null && current.getPhase() != null && current.getPhase().isFinal()) {
      metrics.restore(evaluation); // after a restart: the gauges come back from status
      // Its slot is free. The reconcile that wrote the final status woke the queue, unless it failed
      // after the API server took the write (a timed-out answer under load): its retry lands here,
      // and a wake-up lost would leave the queue waiting for its periodic recheck.
      handOver(evaluation);
      return UpdateControl.noUpdate();
    }
    NextStatus next = NextStatus.of(evaluation, clock.instant());
    Optional<Job> job = job(evaluation);
    Duration recheck = null;
    if (job.isPresent()) {
      recheck = follow(evaluation, job.get(), context, next.accepted()).orElse(null);
    } else {
      List<String> problems = validator.validate(evaluation.getSpec());
      if (!problems.isEmpty()) {
        next.rejected(problems);
      } else if (current != null && current.getJobName() != null) {
        next.accepted().failed(Reason.WorkerFailed, "Job " + current.getJobName()
            + " was deleted before the worker finished", null);
      } else {
        ProbeResolution probe = probe(evaluation);
        if (probe instanceof ProbeResolution.Waiting w) {
          // The training's informer wakes this evaluation when the training changes.
          next.accepted().waiting(ProbeResolution.WAITING_FOR_TRAINING, w.message());
        } else if (probe instanceof ProbeResolution.Failed f) {
          next.accepted().failed(Reason.TrainingFailed, f.message(), null);
        } else {
          ProbeResolution.Ready ready = (ProbeResolution.Ready) probe;
          ProbeEvaluation runnable = ready.applyTo(evaluation);
          List<String> resolvedProblems = validator.validate(runnable.getSpec());
          if (!resolvedProblems.isEmpty()) {
            String from = " (spec.probe.trainingRef " + evaluation.getSpec().getProbe().getTrainingRef()
                + " gave the bundle " + ready.probe().getUri() + ")";
            next.rejected(resolvedProblems.stream().map(p -> p + from).toList());
          } else if (admission.admit(evaluation) == AdmissionQueue.Decision.QUEUED) {
            next.accepted().queued("waiting for a slot: at most " + admission.cap() + " evaluations run at once ("
                + ConfigKeys.MAX_IN_FLIGHT + ")");
            recheck = QUEUED_RECHECK;
          } else if (!start(evaluation, runnable, ready.fingerprint(), context, next.accepted())) {
            return UpdateControl.noUpdate();
          } else {
            // JOSDK drops the informer's event for a Job it was told this reconcile made, and the Job
            // controller's refusals to make its pod change nothing the informers see: look again.
            recheck = PODLESS_RECHECK_MIN;
          }
        }
      }
    }
    write(evaluation, next.build(), context);
    UpdateControl<ProbeEvaluation> control = UpdateControl.noUpdate();
    return recheck == null ? control : control.rescheduleAfter(recheck);
  }

  /** The evaluation's Job: cached, or just created by this process (JOSDK keeps those until the informer sees them). */
  private Optional<Job> job(ProbeEvaluation evaluation) {
    String name = evaluation.getStatus() != null && evaluation.getStatus().getJobName() != null
        ? evaluation.getStatus().getJobName() : JobNames.of(evaluation);
    return jobSource.get(new ResourceID(name, evaluation.getMetadata().getNamespace()));
  }

  /** What the evaluation's probe stands for now: its URI, or the bundle of the training it names. */
  private ProbeResolution probe(ProbeEvaluation evaluation) {
    CheckpointSource checkpoint = evaluation.getSpec().getCheckpoint();
    return trainings.resolve(evaluation, checkpoint == null ? null : checkpoint.getCredentialsSecret());
  }

  /**
   * Creates the Job; false when there is nothing to record (the namespace is going away).
   *
   * @param runnable the evaluation with its probe resolved to a bundle URI, which the status records with its fingerprint
   */
  private boolean start(ProbeEvaluation evaluation, ProbeEvaluation runnable, String fingerprint,
      Context<ProbeEvaluation> context, NextStatus next) {
    Job created;
    try {
      created = createJob(evaluation, runnable, context);
    } catch (RuntimeException e) {
      admission.release(evaluation);
      if (e instanceof KubernetesClientException k && (k.getCode() == 400 || k.getCode() == 422)) {
        // The spec passed our checks but not the API server's (a malformed toleration, say).
        next.rejected(List.of("the API server rejected the worker Job: "
            + (k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : k.getMessage())));
        return true;
      }
      if (e instanceof KubernetesClientException k && k.getCode() == 403
          && String.valueOf(k.getMessage()).contains("being terminated")) {
        LOG.debug("not starting {}: its namespace is being deleted", ResourceID.fromResource(evaluation));
        return false;
      }
      throw e;
    }
    next.jobCreated(created.getMetadata().getName(), runnable.getSpec().getProbe().getUri(), fingerprint);
    return true;
  }

  private Job createJob(ProbeEvaluation evaluation, ProbeEvaluation runnable, Context<ProbeEvaluation> context) {
    Job desired = jobs.build(runnable);
    try {
      Job created = context.getClient().resource(desired).create();
      jobSource.handleRecentResourceCreate(ResourceID.fromResource(evaluation), created);
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // Made by an earlier attempt whose answer was lost: the name is ours, so is the Job.
      Job existing = context.getClient().resource(desired).get();
      if (existing == null || !existing.hasOwnerReferenceFor(evaluation.getMetadata().getUid())) {
        throw new IllegalStateException("Job " + desired.getMetadata().getName()
            + " exists but does not belong to this ProbeEvaluation", e);
      }
      return existing;
    }
  }

  /**
   * Records what the Job and its pods say. Returns when to look again without being told: a Job
   * with no pod changes nothing the informers see while the Job controller fails to create one.
   */
  private Optional<Duration> follow(ProbeEvaluation evaluation, Job job, Context<ProbeEvaluation> context,
      NextStatus next) {
    String jobName = job.getMetadata().getName();
    List<Pod> pods = cachedPods(jobName, context);
    boolean podless = pods.isEmpty() && !Boolean.TRUE.equals(job.getSpec().getSuspend());
    String refusal = podless ? PodCreationEvents.newestRefusal(context.getClient(), job).orElse(null) : null;
    if (JobObserver.finished(job) && !JobObserver.anyWorkerExited(pods) || refusal != null) {
      // The pod and Job informers are separate watches: the verdict can arrive before the pod
      // that explains it, and a refusal can be older than the pod made since. Ask the API server
      // once rather than record a wrong reason for good.
      pods = context.getClient().pods().inNamespace(job.getMetadata().getNamespace())
          .withLabel(WorkerLabels.JOB, jobName).list().getItems();
    }
    WorkerState state = JobObserver.observe(job, pods, new Evidence(refusal, schedulerMessage(evaluation.getStatus())));
    if (state instanceof WorkerState.Failed && !JobObserver.finished(job)) {
      suspend(job, context);
    }
    if (evaluation.getStatus() == null || evaluation.getStatus().getProbeUri() == null) {
      // The Job was made by a reconcile whose status write was lost (a restart in between): the
      // bundle it runs is in its arguments.
      next.probeUsed(probeArgument(job), null);
    }
    next.observed(jobName, state, evaluation.getSpec().getTasks());
    boolean unfinished = state instanceof WorkerState.Starting || state instanceof WorkerState.Unschedulable;
    return podless && unfinished ? Optional.of(podlessRecheck(job)) : Optional.empty();
  }

  private static String probeArgument(Job job) {
    List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    int at = args == null ? -1 : args.indexOf(WorkerCommand.PROBE);
    return at < 0 || at + 1 >= args.size() ? null : args.get(at + 1);
  }

  /** Soon after the Job is made (its first FailedCreate comes within seconds), then less often. */
  private Duration podlessRecheck(Job job) {
    Instant created = JobObserver.time(job.getMetadata().getCreationTimestamp());
    Duration age = created == null ? Duration.ZERO : Duration.between(created, clock.instant());
    return age.compareTo(PODLESS_RECHECK_MIN) < 0 ? PODLESS_RECHECK_MIN
        : age.compareTo(PODLESS_RECHECK_MAX) > 0 ? PODLESS_RECHECK_MAX : age;
  }

  /** What the scheduler last said, while the status records the worker pod waiting for a node. */
  private static String schedulerMessage(ProbeEvaluationStatus status) {
    return status == null ? null : Conditions.find(status.getConditions(), Conditions.SCHEDULED)
        .filter(c -> Conditions.FALSE.equals(c.getStatus()) && Reason.Unschedulable.name().equals(c.getReason()))
        .map(Condition::getMessage)
        .orElse(null);
  }

  private static List<Pod> cachedPods(String jobName, Context<ProbeEvaluation> context) {
    return context.getSecondaryResourcesAsStream(Pod.class)
        .filter(p -> p.getMetadata().getLabels() != null && jobName.equals(p.getMetadata().getLabels().get(WorkerLabels.JOB)))
        .toList();
  }

  /**
   * A pod that cannot pull its image or create its container waits forever, holding its node (and
   * GPU), and a Job whose pod the cluster refuses retries forever; the Job never fails by itself.
   * The evaluation is failed, so the Job is suspended, which removes its pod (or stops the retries)
   * and keeps the Job for inspection until its TTL.
   */
  private static void suspend(Job job, Context<ProbeEvaluation> context) {
    if (!Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      context.getClient().batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
          .withName(job.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":true}}");
    }
  }

  /** Writes the status if it changed, then tells of the transition: events, metrics, the queue. */
  private void write(ProbeEvaluation evaluation, ProbeEvaluationStatus next, Context<ProbeEvaluation> context) {
    ProbeEvaluationStatus before = evaluation.getStatus();
    if (NextStatus.same(before, next)) {
      return;
    }
    StatusWriter.write(evaluation, next, context, ProbeEvaluation::new);
    boolean finished = next.getPhase() != null && next.getPhase().isFinal();
    if (finished) {
      handOver(evaluation); // first: nothing announced after the write may keep the slot from the queue
    }
    Transition.between(before, next).ifPresent(t -> events.record(evaluation, t));
    if (finished) {
      metrics.finished(evaluation);
    }
  }

  /** The evaluation is final: its slot goes to the evaluations whose turn it is, which are woken. */
  private void handOver(ProbeEvaluation evaluation) {
    admission.finish(evaluation).forEach(wakeUps::propagateEvent);
  }
}
