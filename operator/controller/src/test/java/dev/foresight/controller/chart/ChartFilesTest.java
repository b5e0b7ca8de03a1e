package dev.foresight.controller.chart;

import static dev.foresight.controller.chart.RenderedChart.CHART;
import static dev.foresight.controller.chart.RenderedChart.REPO;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The alert rules and the dashboard have one source, the chart's files/ (Helm can read nothing
 * outside the chart); examples/ holds the same bytes for a Prometheus or Grafana run by hand.
 */
class ChartFilesTest {

  @ParameterizedTest(name = "{1} is the chart''s {0}")
  @CsvSource({
      "files/foresight-rules.yaml, examples/alerts/foresight-rules.yaml",
      "files/foresight-dashboard.json, examples/dashboard/foresight-dashboard.json"})
  void exampleIsTheChartsFile(String chartFile, String example) throws IOException {
    Path source = CHART.resolve(chartFile);
    Path copy = REPO.resolve(example);
    assertEquals(Files.readString(source), Files.readString(copy),
        example + " must equal the chart's " + chartFile + "; after editing the chart's file run: cp " + source + " " + copy);
  }
}
