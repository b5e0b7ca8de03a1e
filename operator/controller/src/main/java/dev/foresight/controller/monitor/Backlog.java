package dev.foresight.controller.monitor;

import dev.foresight.api.scan.ReadyCheckpoint;
import dev.foresight.api.scan.ScanReport;
import dev.foresight.api.v1alpha1.MonitorOrder;
import dev.foresight.api.v1alpha1.ProbeMonitorSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which checkpoints of a scan report get an evaluation now, and where the monitor's two cursors
 * move. The cursors live in status, so a restarted operator carries on where the last one stopped:
 *
 * <ul>
 *   <li>{@code lastSeenStep} (L): every chosen ready step from {@code backfillBelow} (or the
 *       first) up to L has its evaluation. A scan for new checkpoints lists steps above L; L moves
 *       up to the newest once each chosen one has its evaluation (a burst larger than the monitor's
 *       bound is absorbed over several scans, L meanwhile staying put).
 *   <li>{@code backfillBelow} (B): chosen ready steps below B may still lack an evaluation. Backfill
 *       scans list the steps below B, newest first, a report page at a time; B moves down to the
 *       page's smallest step once each chosen step of the page has its evaluation, and is cleared
 *       when the last page is done.
 * </ul>
 *
 * <p>Between the cursors nothing is looked at again, which is what lets history pruning delete a
 * finished evaluation there without a later scan making it anew ({@link #prunable}). A checkpoint
 * that becomes ready after a newer one was seen is not evaluated: trainers write in step order.
 *
 * <p>{@code spec.every = k} numbers the ready checkpoints of {@code spec.steps} from the oldest
 * (1, 2, ...) and evaluates numbers 1, 1 + k, 1 + 2k...: the number of a checkpoint depends only on
 * those before it, so it is the same in every scan as long as older checkpoints are not deleted
 * (rotate with minStepGap instead). The scan's {@code readyTotal} gives the numbers, so with
 * {@code every > 1} scans for new checkpoints list the whole range rather than only above L.
 * {@code spec.minStepGap = g} evaluates a checkpoint when no evaluated step of the monitor lies
 * within g of it, taken in creation order.
 */
final class Backlog {
  /** What a scan asked for. */
  enum Kind {
    /** The first scan of a monitor: everything ready. */
    FIRST,
    /** Steps above lastSeenStep. */
    NEW,
    /** Steps below backfillBelow. */
    BACKFILL
  }

  /**
   * @param create the checkpoints to give an evaluation now, in creation order
   * @param pending chosen checkpoints of the scanned range still without one (estimated where the
   *     report did not list them all)
   * @param newCheckpoint whether the scan saw a ready step above every one seen before
   * @param backfillNext whether a backfill scan should follow at once (a backlog remains, the
   *     bound allows more, and this scan made progress)
   */
  record Plan(List<ReadyCheckpoint> create, Long lastSeenStep, Long backfillBelow, int pending,
      boolean newCheckpoint, boolean backfillNext) {}

  private Backlog() {}

  /** The kind of the next scan, from the cursors: a monitor that never saw a ready checkpoint starts over. */
  static Kind next(Long lastSeenStep, Long backfillBelow, boolean backfillDue) {
    if (lastSeenStep == null) {
      return Kind.FIRST;
    }
    return backfillDue && backfillBelow != null ? Kind.BACKFILL : Kind.NEW;
  }

  /** The scan's --above: only a scan for new checkpoints without ordinals to count narrows from below. */
  static Long above(Kind kind, ProbeMonitorSpec spec, Long lastSeenStep) {
    return kind == Kind.NEW && every(spec) == 1 ? lastSeenStep : null;
  }

  static Plan plan(ProbeMonitorSpec spec, Long lastSeen, Long backfillBelow, Kind kind, ScanReport report,
      Set<Long> known, int budget) {
    List<ReadyCheckpoint> listed = report.getReady();
    List<ReadyCheckpoint> inRange = kind == Kind.NEW
        ? listed.stream().filter(c -> c.getStep() > lastSeen).toList() : listed;
    // Listed newest first, the oldest left out when they did not fit: some of the range is unlisted
    // unless the page reached below it.
    boolean unlisted = report.hasMore() && inRange.size() == listed.size();
    List<ReadyCheckpoint> chosen = choose(spec, report, inRange, known);
    MonitorOrder order = spec.getOrder() == null ? MonitorOrder.NewestFirst : spec.getOrder();
    // Oldest first: nothing new while older checkpoints wait.
    boolean mayCreate = !(order == MonitorOrder.OldestFirst && kind == Kind.NEW && backfillBelow != null);
    List<ReadyCheckpoint> ordered = new ArrayList<>(chosen);
    if (order == MonitorOrder.OldestFirst) {
      Collections.reverse(ordered);
    }
    List<ReadyCheckpoint> create = mayCreate ? List.copyOf(ordered.subList(0, Math.min(Math.max(budget, 0), ordered.size())))
        : List.of();
    boolean allChosenMade = mayCreate && create.size() == chosen.size();
    int pending = chosen.size() - create.size()
        + (unlisted ? Math.max(0, report.getReadyTotal() - listed.size()) / every(spec) : 0);
    Long newest = report.getNewest();
    boolean newCheckpoint = newest != null && (lastSeen == null || newest > lastSeen);
    int left = budget - create.size();
    Long smallestListed = listed.isEmpty() ? null : listed.get(listed.size() - 1).getStep();
    return switch (kind) {
      case NEW -> {
        boolean done = allChosenMade && !unlisted;
        Long seen = done && newest != null ? Math.max(lastSeen, newest) : lastSeen;
        boolean headFirst = order == MonitorOrder.NewestFirst;
        yield new Plan(create, seen, backfillBelow, pending, newCheckpoint,
            backfillBelow != null && left > 0 && (done || !headFirst));
      }
      case FIRST, BACKFILL -> {
        if (kind == Kind.FIRST && newest == null) {
          yield new Plan(create, null, null, pending, false, false);
        }
        Long seen = kind == Kind.FIRST ? newest : lastSeen;
        // Before the first page is done, [B, L] must be empty: B sits just above the newest step.
        Long below = kind == Kind.FIRST ? Long.valueOf(newest + 1) : backfillBelow;
        if (allChosenMade) {
          below = report.hasMore() ? smallestListed : null;
        }
        boolean progressed = !Objects.equals(below, kind == Kind.FIRST ? null : backfillBelow);
        yield new Plan(create, seen, below, pending, newCheckpoint, below != null && left > 0 && allChosenMade && progressed);
      }
    };
  }

  /** The listed checkpoints spec.every or spec.minStepGap picks that have no evaluation yet. */
  private static List<ReadyCheckpoint> choose(ProbeMonitorSpec spec, ScanReport report, List<ReadyCheckpoint> inRange,
      Set<Long> known) {
    int every = every(spec);
    List<ReadyCheckpoint> chosen = new ArrayList<>();
    TreeSet<Long> taken = new TreeSet<>(known);
    for (ReadyCheckpoint c : inRange) {
      long step = c.getStep();
      if (known.contains(step)) {
        continue;
      }
      if (every > 1) {
        int ordinal = report.getReadyTotal() - report.getReady().indexOf(c);
        if ((ordinal - 1) % every != 0) {
          continue;
        }
      }
      if (spec.getMinStepGap() != null && tooClose(taken, step, spec.getMinStepGap())) {
        continue;
      }
      taken.add(step);
      chosen.add(c);
    }
    return chosen;
  }

  private static boolean tooClose(TreeSet<Long> taken, long step, long gap) {
    Long below = taken.floor(step);
    Long above = taken.ceiling(step);
    return below != null && step - below < gap || above != null && above - step < gap;
  }

  static int every(ProbeMonitorSpec spec) {
    return spec.getEvery() == null ? 1 : spec.getEvery();
  }

  /**
   * Whether a finished evaluation of {@code step} may be deleted: only where no scan looks again
   * (between the cursors, or anywhere once there is no backlog and the step is not above L).
   */
  static boolean prunable(long step, Long lastSeen, Long backfillBelow) {
    return lastSeen != null && step <= lastSeen && (backfillBelow == null || step >= backfillBelow);
  }
}
