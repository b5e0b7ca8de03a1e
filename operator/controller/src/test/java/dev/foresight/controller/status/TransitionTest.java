package dev.foresight.controller.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeEvaluationStatus;
import dev.foresight.api.v1alpha1.Reason;
import dev.foresight.controller.observe.WorkerState;
import dev.foresight.controller.support.Fixtures;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransitionTest {
  static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");

  static ProbeEvaluation evaluation(ProbeEvaluationStatus status) {
    ProbeEvaluation e = Fixtures.evaluation("ns", "e", 1, "gsm8k");
    e.getMetadata().setCreationTimestamp("2026-01-01T09:59:00Z");
    e.setStatus(status);
    return e;
  }

  static Optional<String> event(ProbeEvaluationStatus before, ProbeEvaluationStatus after) {
    return Transition.between(before, after).map(t -> t.type() + " " + t.reason() + ": " + t.message());
  }

  @Test
  void eachPhaseChangeIsOneEventAndRewritingTheSameStatusIsNone() {
    ProbeEvaluationStatus queued = NextStatus.of(evaluation(null), NOW).accepted().queued("waiting for a slot").build();
    assertEquals(Optional.of("Normal Queued: waiting for a slot"), event(null, queued));
    assertEquals(Optional.empty(), event(queued, NextStatus.of(evaluation(queued), NOW).queued("waiting for a slot").build()));

    ProbeEvaluationStatus created = NextStatus.of(evaluation(queued), NOW).jobCreated("e-1234", "pvc://probes/v3", null).build();
    assertEquals(Optional.of("Normal JobCreated: created Job e-1234"), event(queued, created));

    ProbeEvaluationStatus unschedulable = NextStatus.of(evaluation(created), NOW)
        .observed("e-1234", new WorkerState.Unschedulable("0/2 nodes are available"), List.of()).build();
    assertEquals(Optional.of("Warning Unschedulable: the worker pod cannot be scheduled: 0/2 nodes are available"),
        event(created, unschedulable));
    assertEquals(Optional.empty(), event(unschedulable, NextStatus.of(evaluation(unschedulable), NOW)
        .observed("e-1234", new WorkerState.Unschedulable("0/2 nodes are available"), List.of()).build()));

    ProbeEvaluationStatus running = NextStatus.of(evaluation(unschedulable), NOW)
        .observed("e-1234", new WorkerState.Running("e-1234-x", "gpu-1", NOW, null), List.of()).build();
    assertEquals(Optional.of("Normal Started: the worker runs in pod e-1234-x on node gpu-1"), event(unschedulable, running));

    ProbeEvaluationStatus failed = NextStatus.of(evaluation(running), NOW)
        .observed("e-1234", new WorkerState.Failed(Reason.CheckpointNotFound, "no config.json", NOW, NOW), List.of()).build();
    assertEquals(Optional.of("Warning CheckpointNotFound: no config.json"), event(running, failed));
  }

  @Test
  void conditionTimesMoveOnlyWhenTheConditionFlips() {
    ProbeEvaluationStatus queued = NextStatus.of(evaluation(null), NOW).accepted().queued("waiting").build();
    Instant later = NOW.plusSeconds(60);
    ProbeEvaluationStatus stillQueued = NextStatus.of(evaluation(queued), later).accepted().queued("waiting").build();
    assertEquals(NOW.toString(), Conditions.find(stillQueued.getConditions(), Conditions.SCHEDULED).get().getLastTransitionTime());
    assertEquals(true, NextStatus.same(queued, stillQueued));
    ProbeEvaluationStatus running = NextStatus.of(evaluation(queued), later)
        .observed("j", new WorkerState.Running("p", null, later, null), List.of()).build();
    assertEquals(later.toString(), Conditions.find(running.getConditions(), Conditions.SCHEDULED).get().getLastTransitionTime());
    assertEquals(NOW.toString(), Conditions.find(running.getConditions(), Conditions.ACCEPTED).get().getLastTransitionTime());
  }
}
