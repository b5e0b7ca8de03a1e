package dev.foresight.controller.monitor;

import dev.foresight.api.v1alpha1.Drift;
import dev.foresight.api.v1alpha1.MonitorCounts;
import dev.foresight.api.v1alpha1.Phase;
import dev.foresight.api.v1alpha1.ProbeEvaluation;
import dev.foresight.api.v1alpha1.ProbeMonitorSpec;
import dev.foresight.api.v1alpha1.ProbeMonitorStatus;
import dev.foresight.api.v1alpha1.TaskResult;
import dev.foresight.api.v1alpha1.TrendPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a monitor keeps of its finished evaluations once they may be pruned: the last
 * spec.trendLength evaluated steps (by step) with each task's predicted pass@1, interval and, where
 * validated, measured pass@1; the latest validated step per task (drift); and the running totals
 * of succeeded and failed evaluations.
 */
final class Trend {
  private Trend() {}

  /** Adds a finished evaluation of {@code step} to {@code status}. */
  static void record(ProbeMonitorStatus status, ProbeMonitorSpec spec, ProbeEvaluation evaluation, long step) {
    Phase phase = evaluation.getStatus().getPhase();
    List<TaskResult> results = evaluation.getStatus().getResults() == null ? List.of()
        : evaluation.getStatus().getResults().stream().map(Trend::kept).toList();
    MonitorCounts counts = status.getCounts() == null ? new MonitorCounts() : status.getCounts();
    if (phase == Phase.Succeeded) {
      counts.setSucceeded(counts.getSucceeded() + 1);
    } else {
      counts.setFailed(counts.getFailed() + 1);
    }
    status.setCounts(counts);

    List<TrendPoint> trend = new ArrayList<>(status.getTrend() == null ? List.of() : status.getTrend());
    trend.removeIf(p -> Objects.equals(p.getStep(), step));
    trend.add(new TrendPoint(step, evaluation.getMetadata().getName(), phase, results.isEmpty() ? null : results));
    trend.sort(Comparator.comparing(TrendPoint::getStep));
    int length = spec.getTrendLength() == null ? ProbeMonitorSpec.DEFAULT_TREND_LENGTH : spec.getTrendLength();
    status.setTrend(new ArrayList<>(trend.subList(Math.max(0, trend.size() - length), trend.size())));

    List<Drift> drift = new ArrayList<>(status.getDrift() == null ? List.of() : status.getDrift());
    for (TaskResult r : results) {
      if (r.getActualPassAt1() == null) {
        continue;
      }
      boolean newer = drift.stream().noneMatch(d -> d.getTask().equals(r.getTask()) && d.getStep() > step);
      if (newer) {
        drift.removeIf(d -> d.getTask().equals(r.getTask()));
        drift.add(new Drift(r.getTask(), step, r.getPredictedPassAt1(), r.getActualPassAt1()));
      }
    }
    drift.sort(Comparator.comparing(Drift::getTask));
    status.setDrift(drift);
    status.setLatestMeanPassAt1(latestMean(status.getTrend()));
  }

  /** The per-task numbers a chart needs; the rest stays with the evaluation while it exists. */
  private static TaskResult kept(TaskResult r) {
    TaskResult k = new TaskResult(r.getTask(), r.getPredictedPassAt1(), r.getCi95(), null);
    k.setActualPassAt1(r.getActualPassAt1());
    return k;
  }

  /** Mean predicted pass@1 over the tasks of the newest succeeded step in the trend. */
  private static Double latestMean(List<TrendPoint> trend) {
    for (int i = trend.size() - 1; i >= 0; i--) {
      TrendPoint p = trend.get(i);
      if (p.getPhase() == Phase.Succeeded && p.getResults() != null && !p.getResults().isEmpty()) {
        return p.getResults().stream().mapToDouble(TaskResult::getPredictedPassAt1).average().orElseThrow();
      }
    }
    return null;
  }
}
