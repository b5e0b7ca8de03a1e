package dev.foresight.worker.demo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The demo's verdict over several worlds, one per seed: every seed's {@link DemoScores} as a row
 * of signals (each probe family, the bundle's family of that seed, the two baselines), each score's
 * {@link Spread} across seeds, and on how many seeds the bundle's probe meets each goal of
 * issue 14 (beat the answers' bits per byte on AUROC, both baselines on Spearman; mean |Δ| ≤ 0.04;
 * its 95% interval covering actual pass@1 in ≥ 90% of (checkpoint, task) pairs).
 *
 * @param rows one per seed, in the order run
 * @param spread per signal, per score ({@value #AUROC}, {@value #MEAN_ABS_ERROR}, {@value #SPEARMAN},
 *     {@value #COVERAGE}): across the seeds where it is defined
 * @param goals per goal, the seeds where the bundle's probe meets it
 */
@JsonPropertyOrder({"rows", "spread", "goals"})
public record DemoSeeds(List<Row> rows, Map<String, Map<String, Spread>> spread, Map<String, List<Long>> goals) {
  /** The signal that is, on each seed, the family the demo chose for its bundle. */
  public static final String BUNDLE = "bundle";
  public static final String AUROC = "auroc";
  public static final String MEAN_ABS_ERROR = "meanAbsError";
  public static final String SPEARMAN = "spearman";
  public static final String COVERAGE = "coverage";
  /** |Δ| a usable pass@1 stays within, and the share of pairs a usable interval covers. */
  public static final double ERROR_GOAL = 0.04;
  public static final double COVERAGE_GOAL = 0.90;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One signal's scores on one seed; null where the signal has no such score (a baseline's |Δ|). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"auroc", "meanAbsError", "spearman", "coverage"})
  public record Scores(Double auroc, Double meanAbsError, Double spearman, Double coverage) {
    static Scores of(DemoScores.ProbeScore p) {
      return new Scores(p.auroc(), p.meanAbsError(), p.spearman(), p.coverage());
    }

    static Scores of(DemoScores.BaselineScore b) {
      return b == null ? new Scores(null, null, null, null) : new Scores(b.auroc(), null, b.spearman(), null);
    }
  }

  /**
   * @param bundle the family in that seed's {@code bundle/}
   * @param signals by signal: the probe families' wire names, {@value #BUNDLE}, then
   *     {@link DemoScores#ANSWER_BITS} and {@link DemoScores#TRAINING_LOSS}
   */
  @JsonPropertyOrder({"seed", "bundle", "signals"})
  public record Row(long seed, String bundle, Map<String, Scores> signals) {
    /** The row of one demo run on the world of {@code seed}. */
    public static Row of(long seed, DemoResult result) {
      Map<String, Scores> signals = new LinkedHashMap<>();
      DemoScores s = result.scores();
      s.probes().forEach((f, p) -> signals.put(f, Scores.of(p)));
      signals.put(BUNDLE, Scores.of(s.probes().get(result.family())));
      signals.put(DemoScores.ANSWER_BITS, Scores.of(s.baselines().get(DemoScores.ANSWER_BITS)));
      signals.put(DemoScores.TRAINING_LOSS, Scores.of(s.baselines().get(DemoScores.TRAINING_LOSS)));
      return new Row(seed, result.family(), signals);
    }
  }

  private static final Map<String, Function<Scores, Double>> SCORES = Map.of(AUROC, Scores::auroc,
      MEAN_ABS_ERROR, Scores::meanAbsError, SPEARMAN, Scores::spearman, COVERAGE, Scores::coverage);
  private static final List<String> SCORE_ORDER = List.of(AUROC, MEAN_ABS_ERROR, SPEARMAN, COVERAGE);

  /** The goals, each a test of one seed's row. */
  private static final Map<String, Predicate<Row>> GOALS = goalTests();

  private static Map<String, Predicate<Row>> goalTests() {
    Map<String, Predicate<Row>> g = new LinkedHashMap<>();
    g.put("AUROC above the answers' bits per byte", r -> above(r, AUROC, DemoScores.ANSWER_BITS));
    g.put("Spearman above the answers' bits per byte", r -> above(r, SPEARMAN, DemoScores.ANSWER_BITS));
    g.put("Spearman above the training loss", r -> above(r, SPEARMAN, DemoScores.TRAINING_LOSS));
    g.put("mean abs Δ ≤ " + ERROR_GOAL, r -> { // no pipes: the name is a markdown table cell
      Double e = r.signals().get(BUNDLE).meanAbsError();
      return e != null && e <= ERROR_GOAL;
    });
    g.put("95% interval covers actual pass@1 in ≥ " + Math.round(COVERAGE_GOAL * 100) + "% of pairs", r -> {
      Double c = r.signals().get(BUNDLE).coverage();
      return c != null && c >= COVERAGE_GOAL;
    });
    return g;
  }

  /** Whether the bundle's {@code score} beats {@code baseline}'s on this seed (an undefined baseline is beaten). */
  private static boolean above(Row r, String score, String baseline) {
    Double mine = SCORES.get(score).apply(r.signals().get(BUNDLE));
    Scores other = r.signals().get(baseline);
    Double theirs = other == null ? null : SCORES.get(score).apply(other);
    return mine != null && (theirs == null || mine > theirs);
  }

  public static DemoSeeds of(List<Row> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no seed was run");
    }
    Map<String, Map<String, Spread>> spread = new LinkedHashMap<>();
    for (String signal : rows.get(0).signals().keySet()) {
      Map<String, Spread> byScore = new LinkedHashMap<>();
      for (String score : SCORE_ORDER) {
        List<Double> values = new ArrayList<>();
        rows.forEach(r -> values.add(SCORES.get(score).apply(r.signals().get(signal))));
        Spread s = Spread.of(values);
        if (s != null) {
          byScore.put(score, s);
        }
      }
      spread.put(signal, byScore);
    }
    Map<String, List<Long>> met = new LinkedHashMap<>();
    GOALS.forEach((goal, test) -> met.put(goal, rows.stream().filter(test).map(Row::seed).toList()));
    return new DemoSeeds(List.copyOf(rows), spread, met);
  }

  /** The tables: every seed's row, then each score's mean (min–max, ±std), then the goals. */
  public String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| seed | signal | AUROC | mean abs Δ pass@1 | Spearman | 95% interval coverage |\n");
    sb.append("| --- | --- | --- | --- | --- | --- |\n");
    for (Row r : rows) {
      r.signals().forEach((signal, s) -> sb.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s |%n",
          r.seed(), name(signal, r.bundle()), DemoTable.number(s.auroc()), DemoTable.number(s.meanAbsError()),
          DemoTable.number(s.spearman()), DemoTable.number(s.coverage()))));
    }
    sb.append(String.format(Locale.ROOT, "%nOver %d seeds (%s): mean (min–max, ±standard deviation)%n%n", rows.size(),
        String.join(", ", rows.stream().map(r -> Long.toString(r.seed())).toList())));
    sb.append("| signal | AUROC | mean abs Δ pass@1 | Spearman | 95% interval coverage |\n");
    sb.append("| --- | --- | --- | --- | --- |\n");
    spread.forEach((signal, s) -> sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n",
        name(signal, null), Spread.render(s.get(AUROC)), Spread.render(s.get(MEAN_ABS_ERROR)),
        Spread.render(s.get(SPEARMAN)), Spread.render(s.get(COVERAGE)))));
    sb.append("\n| goal (the bundle's probe) | seeds met |\n| --- | --- |\n");
    goals.forEach((goal, seeds) -> sb.append(String.format(Locale.ROOT, "| %s | %d of %d%s |%n", goal, seeds.size(),
        rows.size(), seeds.isEmpty() ? "" : " (" + String.join(", ", seeds.stream().map(String::valueOf).toList()) + ")")));
    return sb.toString();
  }

  private static String name(String signal, String bundle) {
    if (signal.equals(BUNDLE)) {
      return bundle == null ? "probe of the bundle (each seed's choice)" : "probe of the bundle (" + bundle + ")";
    }
    if (signal.equals(DemoScores.ANSWER_BITS)) {
      return "gold-answer bits per byte";
    }
    if (signal.equals(DemoScores.TRAINING_LOSS)) {
      return "training loss";
    }
    return "probe " + signal;
  }

  public void writeJson(Path file) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(this) + "\n");
  }
}
