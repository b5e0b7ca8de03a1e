package dev.foresight.controller.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.scan.ReadyCheckpoint;
import dev.foresight.api.scan.ScanReport;
import dev.foresight.api.v1alpha1.MonitorOrder;
import dev.foresight.api.v1alpha1.ProbeMonitorSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The cursors over a run's checkpoints, walked through whole runs: a simulated prefix answers each
 * scan as {@code foresight scan} would (newest first, a page of at most {@link #PAGE}), evaluations
 * are made as planned, and whatever the bound and order every chosen checkpoint is evaluated once.
 */
class BacklogTest {
  static final int PAGE = 7;

  /** A prefix of ready steps, and the evaluations made so far. */
  static final class Run {
    final TreeSet<Long> ready = new TreeSet<>();
    final List<Long> made = new java.util.ArrayList<>();
    Long lastSeen;
    Long below;

    ScanReport scan(Backlog.Kind kind, ProbeMonitorSpec spec) {
      Long above = Backlog.above(kind, spec, lastSeen);
      Long under = kind == Backlog.Kind.BACKFILL ? below : null;
      List<Long> range = ready.descendingSet().stream()
          .filter(s -> (above == null || s > above) && (under == null || s < under)).toList();
      ScanReport r = new ScanReport();
      range.stream().limit(PAGE).forEach(s -> r.getReady().add(new ReadyCheckpoint(s, "step-" + s, null)));
      r.setReadyTotal(range.size());
      r.setMore(range.size() > PAGE);
      r.setNewest(range.isEmpty() ? null : range.get(0));
      return r;
    }

    /** One poll: a scan for new checkpoints, then backfill pages while the plan asks for them. */
    void poll(ProbeMonitorSpec spec, int bound) {
      boolean backfill = false;
      do {
        Backlog.Kind kind = Backlog.next(lastSeen, below, backfill);
        Backlog.Plan plan = Backlog.plan(spec, lastSeen, below, kind, scan(kind, spec), new HashSet<>(made), bound);
        plan.create().forEach(c -> made.add(c.getStep()));
        lastSeen = plan.lastSeenStep();
        below = plan.backfillBelow();
        backfill = plan.backfillNext();
      } while (backfill);
    }
  }

  static ProbeMonitorSpec spec(MonitorOrder order) {
    ProbeMonitorSpec spec = new ProbeMonitorSpec();
    spec.setOrder(order);
    return spec;
  }

  @Test
  void aBacklogLargerThanAPageIsEvaluatedOnceEachNewestFirst() {
    Run run = new Run();
    LongStream.rangeClosed(1, 40).forEach(s -> run.ready.add(s * 10));
    for (int poll = 0; poll < 40 && run.made.size() < 40; poll++) {
      run.poll(spec(null), 3); // every evaluation made finishes before the next poll
      if (poll == 2) {
        run.ready.add(1000L); // a new checkpoint jumps the queue
      }
    }
    assertEquals(41, run.made.size());
    assertEquals(41, new HashSet<>(run.made).size(), "once each: " + run.made);
    assertEquals(List.of(400L, 390L, 380L), run.made.subList(0, 3));
    assertTrue(run.made.indexOf(1000L) < run.made.indexOf(10L), "new before old: " + run.made);
    assertEquals(1000L, run.lastSeen);
    assertNull(run.below, "no backlog left");
  }

  @Test
  void oldestFirstEvaluatesEachOnceAndOlderBeforeNewerWithinAPage() {
    Run run = new Run();
    LongStream.rangeClosed(1, 5).forEach(s -> run.ready.add(s));
    run.poll(spec(MonitorOrder.OldestFirst), 2);
    assertEquals(List.of(1L, 2L), run.made);
    for (int i = 0; i < 5; i++) {
      run.poll(spec(MonitorOrder.OldestFirst), 2);
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), run.made);
  }

  @Test
  void everyKthIsCountedFromTheOldestSoScansAgreeAsCheckpointsArrive() {
    ProbeMonitorSpec spec = spec(null);
    spec.setEvery(3);
    Run run = new Run();
    LongStream.rangeClosed(1, 10).forEach(s -> run.ready.add(s * 100));
    run.poll(spec, 100);
    assertEquals(Set.of(100L, 400L, 700L, 1000L), new HashSet<>(run.made));
    LongStream.rangeClosed(11, 16).forEach(s -> run.ready.add(s * 100));
    run.poll(spec, 100);
    assertEquals(Set.of(100L, 400L, 700L, 1000L, 1300L, 1600L), new HashSet<>(run.made));
  }

  @Test
  void minStepGapSkipsCheckpointsTooCloseToAnEvaluatedOne() {
    ProbeMonitorSpec spec = spec(null);
    spec.setMinStepGap(250L);
    Run run = new Run();
    LongStream.rangeClosed(1, 10).forEach(s -> run.ready.add(s * 100));
    run.poll(spec, 100);
    assertEquals(List.of(1000L, 700L, 400L, 100L), run.made);
  }

  @Test
  void pruningStaysOutOfWhatAScanLooksAtAgain() {
    assertTrue(Backlog.prunable(500, 900L, null));
    assertFalse(Backlog.prunable(950, 900L, null), "above the last seen step: a scan for new ones lists it");
    assertFalse(Backlog.prunable(300, 900L, 400L), "below the backlog cursor: a backfill scan lists it");
    assertTrue(Backlog.prunable(400, 900L, 400L));
    assertFalse(Backlog.prunable(1, null, null), "before any scan");
  }
}
