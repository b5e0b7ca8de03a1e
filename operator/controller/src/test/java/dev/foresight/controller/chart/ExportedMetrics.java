package dev.foresight.controller.chart;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.controller.metrics.MetricNames;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which series names a PromQL expression reads, and whether the operator exports them. Alert rules
 * and the dashboard may only read {@link MetricNames}: a rule over a
 * renamed metric would never fire, and nothing else would say so.
 */
final class ExportedMetrics {

  /**
   * The histograms among {@link MetricNames}: Prometheus stores them only as {@code _bucket},
   * {@code _sum} and {@code _count} series, so their bare name matches nothing. Counters appear in
   * MetricNames with their {@code _total} already, as queried.
   */
  static final Set<String> HISTOGRAMS =
      Set.of(MetricNames.EVALUATION_DURATION_SECONDS, MetricNames.RECONCILIATION_DURATION_SECONDS,
          MetricNames.TRAINING_STAGE_DURATION_SECONDS);
  private static final List<String> HISTOGRAM_SERIES = List.of("_bucket", "_sum", "_count");

  private static final Set<String> KEYWORDS = Set.of(
      "and", "or", "unless", "offset", "bool", "by", "without", "on", "ignoring", "group_left", "group_right",
      "inf", "nan", "atan2");
  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^]]*]");
  private static final Pattern LABEL_LIST =
      Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  /** An identifier not glued to a number or a duration (the "m" of 30m), and whether a call follows. */
  private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][\\w:]*)(\\s*\\()?");
  /** Grafana's label_values(expr, label): only expr is PromQL. */
  private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$");

  private ExportedMetrics() {}

  /** The series names a PromQL expression (or a Grafana label_values query) selects. */
  static Set<String> readBy(String query) {
    Matcher labelValues = LABEL_VALUES.matcher(query);
    String promql = labelValues.matches() ? labelValues.group(1) : query;
    String bare = STRING.matcher(promql).replaceAll("\"\"");
    bare = MATCHERS.matcher(bare).replaceAll(" ");
    bare = RANGE.matcher(bare).replaceAll(" ");
    bare = LABEL_LIST.matcher(bare).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher identifier = IDENTIFIER.matcher(bare);
    while (identifier.find()) {
      boolean call = identifier.group(2) != null;
      String name = identifier.group(1);
      if (!call && !KEYWORDS.contains(name)) {
        names.add(name);
      }
    }
    return names;
  }

  /** Whether Prometheus holds a series of this name when it scrapes the operator. */
  static boolean isExported(String series) {
    if (MetricNames.ALL.contains(series)) {
      return !HISTOGRAMS.contains(series);
    }
    return HISTOGRAM_SERIES.stream()
        .anyMatch(suffix -> series.endsWith(suffix) && HISTOGRAMS.contains(series.substring(0, series.length() - suffix.length())));
  }

  /** Asserts every query reads only exported series, and that the queries read some at all. */
  static Set<String> assertAllExported(Collection<String> queries, String where) {
    assertFalse(queries.isEmpty(), where + " has no queries: the check would prove nothing");
    Set<String> read = new TreeSet<>();
    for (String query : queries) {
      Set<String> names = readBy(query);
      for (String name : names) {
        assertTrue(isExported(name), () -> where + " reads " + name + ", which the operator does not export"
            + " (MetricNames; histograms only as _bucket/_sum/_count): " + query);
      }
      read.addAll(names);
    }
    assertFalse(read.isEmpty(), where + " reads no metric at all");
    return read;
  }
}
