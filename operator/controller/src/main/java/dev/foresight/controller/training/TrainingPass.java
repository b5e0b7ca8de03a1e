package dev.foresight.controller.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeTraining;
import dev.foresight.api.v1alpha1.ProbeTrainingStatus;
import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.api.v1alpha1.TrainingProgress;
import dev.foresight.api.v1alpha1.TrainingStage;
import dev.foresight.controller.observe.JobObserver;
import dev.foresight.controller.status.Conditions;
import dev.foresight.controller.status.NextStatus;
import dev.foresight.controller.status.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One reconcile of a ProbeTraining: the status it wants to write (a copy of the current one with
 * this reconcile's findings), and what follows a successful write (events, stage durations, the
 * final result). Only the operator writes status, and it writes the whole of it.
 */
final class TrainingPass {
  /** Accepted=True; Accepted=False while the named ProbeMonitor is missing. */
  static final String VALID = NextStatus.VALID;
  static final String MONITOR_NOT_FOUND = "MonitorNotFound";
  /** Reasons of the Scheduled condition besides Unschedulable. */
  static final String SCHEDULED = NextStatus.SCHEDULED;
  static final String PENDING = NextStatus.PENDING;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A stage that finished in this reconcile, and how long it took. */
  record FinishedStage(TrainingStage stage, Duration took) {}

  final ProbeTraining training;
  final ProbeTrainingStatus next;
  final Instant now;
  final List<Transition> transitions = new ArrayList<>();
  final List<FinishedStage> finishedStages = new ArrayList<>();
  /** Succeeded or the failure reason, once the training is final. */
  String result;

  TrainingPass(ProbeTraining training, Instant now) {
    this.training = training;
    this.now = now;
    ProbeTrainingStatus current = training.getStatus();
    this.next = current == null ? new ProbeTrainingStatus() : MAPPER.convertValue(current, ProbeTrainingStatus.class);
    if (next.getConditions() == null) {
      next.setConditions(new ArrayList<>());
    }
    next.setObservedGeneration(training.getMetadata().getGeneration());
  }

  String namespace() {
    return training.getMetadata().getNamespace();
  }

  TrainingStage stage() {
    return next.getStage() == null ? TrainingStage.Checking : next.getStage();
  }

  TrainingProgress progress() {
    if (next.getProgress() == null) {
      next.setProgress(new TrainingProgress());
    }
    return next.getProgress();
  }

  boolean changed() {
    ProbeTrainingStatus before = training.getStatus() == null ? new ProbeTrainingStatus() : training.getStatus();
    return !MAPPER.valueToTree(before).equals(MAPPER.valueToTree(next));
  }

  void condition(String type, String status, String reason, String message) {
    Conditions.set(next.getConditions(), type, status, reason, message, training.getMetadata().getGeneration(), now);
  }

  void accepted() {
    condition(Conditions.ACCEPTED, Conditions.TRUE, VALID, next.getArchitecture() == null ? "the spec is valid"
        : "the spec is valid and the checkpoints are all " + next.getArchitecture());
  }

  /** Nothing runs until the ProbeMonitor the checkpoints come from exists; its informer says when. */
  void waitingForMonitor(String monitor) {
    String message = "waiting for ProbeMonitor " + monitor + " in namespace " + namespace()
        + " (spec.checkpoints.monitor.name): the checkpoints are those under its prefix";
    condition(Conditions.ACCEPTED, Conditions.FALSE, MONITOR_NOT_FOUND, message);
    if (next.getPhase() == null) {
      next.setPhase(Phase.Pending);
    }
    if (!message.equals(next.getMessage())) {
      transitions.add(new Transition(Transition.WARNING, MONITOR_NOT_FOUND, message));
    }
    next.setMessage(message);
  }

  /** A stage's Job was made: the stage runs from now (unless it ran before a restart). */
  void started(TrainingStage stage, String jobName, String workDir, String what) {
    boolean newStage = next.getStage() != stage || next.getStageStartTime() == null;
    next.setStage(stage);
    if (newStage) {
      next.setStageStartTime(NextStatus.timestamp(now));
    }
    if (!Objects.equals(next.getJobName(), jobName)) {
      transitions.add(new Transition(Transition.NORMAL, stage.name(), "created Job " + jobName + ": " + what));
    }
    next.setJobName(jobName);
    next.setWorkDir(workDir);
    if (next.getStartTime() == null) {
      next.setStartTime(NextStatus.timestamp(now));
    }
    if (next.getPhase() == null) {
      next.setPhase(Phase.Pending);
    }
    next.setMessage(stage.name().toLowerCase(Locale.ROOT) + ": created Job " + jobName);
  }

  /** The stage's Job succeeded: its duration is recorded and {@code following} begins. */
  void finishedStage(TrainingStage stage, TrainingStage following) {
    Instant began = JobObserver.time(next.getStageStartTime());
    finishedStages.add(new FinishedStage(stage, began == null ? Duration.ZERO : Duration.between(began, now)));
    next.setStage(following);
    next.setStageStartTime(NextStatus.timestamp(now));
    next.setPhase(Phase.Running);
  }

  /** The current stage's Job has not finished: where it stands, in the cluster's words. */
  void following(String message, boolean ran) {
    if (ran || next.getStage() != null && next.getStage() != TrainingStage.Checking) {
      next.setPhase(Phase.Running);
    } else if (next.getPhase() == null) {
      next.setPhase(Phase.Pending);
    }
    next.setMessage(stage().name().toLowerCase(Locale.ROOT) + ": " + message);
  }

  void succeeded(String message) {
    next.setPhase(Phase.Succeeded);
    next.setStage(TrainingStage.Done);
    next.setMessage(message);
    next.setCompletionTime(NextStatus.timestamp(now));
    condition(Conditions.COMPLETE, Conditions.TRUE, Reason.Succeeded.name(), message);
    transitions.add(new Transition(Transition.NORMAL, Reason.Succeeded.name(), message));
    result = Reason.Succeeded.name();
  }

  /**
   * The training failed. An invalid spec is refused whoever found it (this operator's checks, the
   * API server, or the check stage): Accepted turns False with it.
   */
  void failed(Reason reason, String message) {
    next.setPhase(Phase.Failed);
    next.setMessage(message);
    next.setCompletionTime(NextStatus.timestamp(now));
    if (reason == Reason.InvalidSpec) {
      condition(Conditions.ACCEPTED, Conditions.FALSE, reason.name(), message);
    }
    condition(Conditions.FAILED, Conditions.TRUE, reason.name(), message);
    transitions.add(new Transition(Transition.WARNING, reason.name(), message));
    result = reason.name();
  }
}
