package dev.foresight.worker.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.foresight.api.report.EvaluationReport;
import dev.foresight.api.v1alpha1.CheckpointSummary;
import dev.foresight.api.v1alpha1.Latency;
import dev.foresight.api.v1alpha1.TaskResult;
import dev.foresight.worker.labels.LabelSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything an evaluation found: the compact {@link EvaluationReport} for the controller comes
 * from it, and the full per-prompt output (the {@code --output} file) is it, as JSON.
 *
 * @param probe the bundle's location and family, for people reading the output
 * @param validation with --validate, how generation sampled (so that the outcomes can serve as
 *     labels with their settings: a ProbeTraining's labels.monitorValidation); else null
 */
@JsonPropertyOrder({"checkpoint", "probe", "latency", "validation", "tasks"})
public record EvaluationResult(CheckpointSummary checkpoint, String probe, Latency latency,
    @JsonInclude(JsonInclude.Include.NON_NULL) LabelSettings validation, List<TaskEvaluation> tasks) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The report of the termination message (ReportCodec shrinks it to 4096 bytes when written). */
  public EvaluationReport toReport() {
    EvaluationReport r = new EvaluationReport();
    r.setCheckpoint(checkpoint);
    for (TaskEvaluation t : tasks) {
      TaskResult result = new TaskResult(t.task(), t.predicted().passAt1(),
          List.of(t.predicted().low(), t.predicted().high()), t.prompts().size());
      result.setAnswerBitsPerByte(t.answerBitsPerByte());
      result.setActualPassAt1(t.actualPassAt1());
      r.getResults().add(result);
    }
    r.setLatency(latency);
    return r;
  }

  public void writeJson(Path file) throws IOException {
    JSON.writeValue(file.toFile(), this);
  }
}
