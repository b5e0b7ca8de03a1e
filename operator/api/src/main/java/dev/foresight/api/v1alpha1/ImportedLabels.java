package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * Labels from lm-evaluation-harness per-sample logs ({@code --log_samples}) already written for
 * each labelled checkpoint: {@code <uri>/<step>/} holds that step's {@code samples_<task>_*.jsonl}
 * files (as {@code foresight label --import lm-eval --samples-log} reads them).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImportedLabels {
  public static final String MATCH_PROMPT = "prompt";
  public static final String MATCH_DOC_ID = "doc-id";

  @Required
  @Pattern(StorageLocation.PATTERN)
  @JsonPropertyDescription("Folder with one sub-folder per labelled step (named by the step's digits) of sample logs")
  private String uri;

  @Pattern("^(prompt|doc-id)$")
  @JsonPropertyDescription("How a sample finds its prompt: prompt (the logged prompt text equals the task file's) or"
      + " doc-id (the task file's ids are lm-eval doc ids); default prompt")
  private String match;

  @JsonPropertyDescription("The sample field holding the outcome (e.g. exact_match, acc); default the importer's choice per task")
  private String metric;

  @JsonPropertyDescription("The lm-eval filter whose outcomes to read, when a log holds several (e.g. strict-match)")
  private String filter;

  @Min(0)
  @Max(1)
  @JsonPropertyDescription("Share of each task's prompts the logs must match; default the CLI's")
  private Double minCoverage;

  public String getUri() { return uri; }
  public void setUri(String uri) { this.uri = uri; }
  public String getMatch() { return match; }
  public void setMatch(String match) { this.match = match; }
  public String getMetric() { return metric; }
  public void setMetric(String metric) { this.metric = metric; }
  public String getFilter() { return filter; }
  public void setFilter(String filter) { this.filter = filter; }
  public Double getMinCoverage() { return minCoverage; }
  public void setMinCoverage(Double minCoverage) { this.minCoverage = minCoverage; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImportedLabels i && Objects.equals(uri, i.uri) && Objects.equals(match, i.match)
        && Objects.equals(metric, i.metric) && Objects.equals(filter, i.filter) && Objects.equals(minCoverage, i.minCoverage);
  }

  @Override
  public int hashCode() { return Objects.hash(uri, match, metric, filter, minCoverage); }
}
