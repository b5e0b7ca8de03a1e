package dev.foresight.worker.labels.lmeval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which field of a logged sample is the outcome, per task: {@code --metric exact_match} for every
 * task, {@code --metric mbpp=pass@1} for one, or both.
 */
public record MetricChoice(String fallback, Map<String, String> byTask) {
  public static final String DEFAULT = "exact_match";

  public MetricChoice {
    byTask = Map.copyOf(byTask);
  }

  /** @throws IllegalArgumentException naming the option for an empty name or two defaults */
  public static MetricChoice parse(List<String> values) {
    String fallback = null;
    Map<String, String> byTask = new HashMap<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      String task = eq < 0 ? null : v.substring(0, eq).strip();
      String metric = v.substring(eq + 1).strip();
      if (metric.isEmpty() || (task != null && task.isEmpty())) {
        throw new IllegalArgumentException("--metric takes <metric> or <task>=<metric>, got '" + v + "'");
      }
      if (task == null) {
        if (fallback != null && !fallback.equals(metric)) {
          throw new IllegalArgumentException("--metric names two metrics for every task: " + fallback + " and " + metric);
        }
        fallback = metric;
      } else if (byTask.putIfAbsent(task, metric) != null && !byTask.get(task).equals(metric)) {
        throw new IllegalArgumentException("--metric names two metrics for task " + task);
      }
    }
    return new MetricChoice(fallback == null ? DEFAULT : fallback, byTask);
  }

  public String forTask(String task) {
    return byTask.getOrDefault(task, fallback);
  }
}
