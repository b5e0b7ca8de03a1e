package dev.foresight.api.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.v1alpha1.CheckpointSummary;
import dev.foresight.api.v1alpha1.Latency;
import dev.foresight.api.v1alpha1.TaskResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportCodecTest {

  static EvaluationReport report(int tasks) {
    EvaluationReport r = new EvaluationReport();
    r.setCheckpoint(new CheckpointSummary("sha256:" + "ab".repeat(32), "Olmo3ForCausalLM", 7_298_011_136L));
    for (int i = 0; i < tasks; i++) {
      TaskResult t = new TaskResult("task-" + i, 0.412345678, List.of(0.391234, 0.433456), 500);
      t.setAnswerBitsPerByte(0.6123456);
      r.getResults().add(t);
    }
    Latency l = new Latency();
    l.setLoadSeconds(9.81234);
    l.setForwardSeconds(26.0);
    l.setProbeSeconds(0.3);
    r.setLatency(l);
    return r;
  }

  @Test
  void roundTripKeepsEveryFieldRounded() throws InvalidReportException {
    String json = ReportCodec.encode(report(2));
    EvaluationReport back = ReportCodec.decode(json);
    assertEquals(1, back.getV());
    assertFalse(back.isTruncated());
    assertEquals("Olmo3ForCausalLM", back.getCheckpoint().getArchitecture());
    assertEquals(7_298_011_136L, back.getCheckpoint().getParameters());
    assertEquals(2, back.getResults().size());
    TaskResult t = back.getResults().get(1);
    assertEquals("task-1", t.getTask());
    assertEquals(0.4123, t.getPredictedPassAt1());
    assertEquals(List.of(0.3912, 0.4335), t.getCi95());
    assertEquals(0.6123, t.getAnswerBitsPerByte());
    assertEquals(500, t.getPrompts());
    assertEquals(9.812, back.getLatency().getLoadSeconds());
  }

  @Test
  void encodeDoesNotModifyItsArgument() {
    EvaluationReport r = report(64);
    ReportCodec.encode(r);
    assertEquals(64, r.getResults().size());
    assertEquals(0.412345678, r.getResults().get(0).getPredictedPassAt1());
  }

  @Test
  void manyTasksAreTruncatedToValidJsonWithinTheLimit() throws InvalidReportException {
    for (int tasks : new int[] {10, 20, 40, 64}) {
      String json = ReportCodec.encode(report(tasks));
      assertTrue(TerminationMessage.utf8Length(json) <= TerminationMessage.MAX_BYTES, tasks + " tasks: " + json.length());
      EvaluationReport back = ReportCodec.decode(json); // still valid
      if (tasks >= 40) {
        assertTrue(back.isTruncated(), tasks + " tasks must not fit whole");
      }
      // What survives keeps the prediction, the one field nobody can do without.
      back.getResults().forEach(t -> assertEquals(0.4123, t.getPredictedPassAt1()));
      assertEquals("task-0", back.getResults().get(0).getTask());
    }
  }

  @Test
  void dropsOptionalFieldsBeforeDroppingTasks() throws InvalidReportException {
    EvaluationReport back = ReportCodec.decode(ReportCodec.encode(report(40)));
    assertTrue(back.isTruncated());
    assertEquals(40, back.getResults().size());
    assertNull(back.getResults().get(0).getAnswerBitsPerByte());
  }

  @Test
  void oversizeMessageIsRejected() {
    String big = "{\"v\":1,\"results\":[],\"pad\":\"" + "x".repeat(5000) + "\"}";
    InvalidReportException e = assertThrows(InvalidReportException.class, () -> ReportCodec.decode(big));
    assertTrue(e.getMessage().contains("over the 4096-byte limit"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "not json at all | malformed JSON",
      "{\"v\":1,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":0.4,\"prompts\":5}] | malformed JSON",
      "{\"v\":2,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":0.4,\"prompts\":5}]} | the worker wrote report version 2, and this operator reads version 1",
      "{\"v\":0,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":0.4,\"prompts\":5}]} | v is 0, expected 1",
      "{\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":0.4,\"prompts\":5}]} | v is missing",
      "{\"v\":\"1\",\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":0.4,\"prompts\":5}]} | v must be a whole number",
      "{\"v\":1,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":\"0.4\",\"prompts\":5}]} | results[0].predictedPassAt1 must be a JSON number, not a string",
      "{\"v\":1,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":0.4,\"prompts\":\"5\"}]} | results[0].prompts must be a whole JSON number, not a string",
      "{\"v\":1,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":0.4,\"prompts\":5.5}]} | results[0].prompts must be a whole JSON number, not a fractional number",
      "{\"v\":1,\"results\":[{\"task\":7,\"predictedPassAt1\":0.4,\"prompts\":5}]} | results[0].task must be a JSON string, not a whole number",
      "{\"v\":1,\"results\":[{\"task\":\"a\",\"predictedPassAt1\":0.4,\"prompts\":5}],\"truncated\":\"true\"} | truncated must be true or false, not a string",
      "{\"v\":1,\"results\":[{\"task\":\"a\",\"predictedPassAt1\":0.4,\"prompts\":5}],\"latency\":{\"loadSeconds\":\"3\"}} | latency.loadSeconds must be a JSON number, not a string",
      "{\"v\":1,\"v\":2,\"results\":[{\"task\":\"a\",\"predictedPassAt1\":0.4,\"prompts\":5}]} | Duplicate field 'v'",
      "[1] | not a JSON object",
      "{\"v\":1,\"results\":[]} | results is empty",
      "{\"v\":1,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":1.7,\"prompts\":5}]} | results[0].predictedPassAt1 = 1.7 is outside [0.0, 1.0]",
      "{\"v\":1,\"results\":[{\"task\":\"gsm8k\",\"prompts\":5}]} | results[0].predictedPassAt1 is missing",
      "{\"v\":1,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":0.4,\"prompts\":0}]} | results[0].prompts must be at least 1",
      "{\"v\":1,\"results\":[{\"task\":\"GSM 8K\",\"predictedPassAt1\":0.4,\"prompts\":5}]} | is not a valid task name",
      "{\"v\":1,\"results\":[{\"task\":\"a\",\"predictedPassAt1\":0.4,\"prompts\":5},{\"task\":\"a\",\"predictedPassAt1\":0.4,\"prompts\":5}]} | appears twice",
      "{\"v\":1,\"results\":[{\"task\":\"a\",\"predictedPassAt1\":0.4,\"prompts\":5,\"ci95\":[0.5,0.3]}]} | ci95 is reversed",
      "{\"v\":1,\"results\":[{\"task\":\"a\",\"predictedPassAt1\":0.4,\"prompts\":5,\"ci95\":[0.3]}]} | ci95 must have 2 numbers",
      "{\"v\":1,\"results\":[{\"task\":\"a\",\"predictedPassAt1\":0.4,\"prompts\":5}],\"latency\":{\"loadSeconds\":-1}} | latency.loadSeconds = -1.0 is outside",
      "{\"v\":1,\"results\":[{\"task\":\"a\",\"predictedPassAt1\":0.4,\"prompts\":5}],\"latency\":{\"totalSeconds\":3}} | the controller's to measure",
      "{\"v\":1,\"results\":[{\"task\":\"a\",\"predictedPassAt1\":NaN,\"prompts\":5}]} | malformed JSON",
      "'' | empty termination message",
  })
  void rejectsWithAClearReason(String message, String expected) {
    InvalidReportException e = assertThrows(InvalidReportException.class, () -> ReportCodec.decode(message));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void fieldsThisVersionDoesNotKnowAreIgnoredAndNamed() throws InvalidReportException {
    String newer = "{\"v\":1,\"checkpoint\":{\"fingerprint\":\"sha256:ab\",\"quantized\":{\"bits\":4}},"
        + "\"results\":[{\"task\":\"a\",\"predictedPassAt1\":0.4,\"prompts\":5},"
        + "{\"task\":\"b\",\"predictedPassAt1\":0.6,\"prompts\":5,\"confidence\":[1,2]}],\"gpu\":\"H200\"}";
    List<String> ignored = new ArrayList<>();
    EvaluationReport report = ReportCodec.decode(newer, ignored::add);
    assertEquals(List.of("checkpoint.quantized", "results[1].confidence", "gpu"), ignored);
    assertEquals(0.6, report.getResults().get(1).getPredictedPassAt1());
    assertEquals("sha256:ab", report.getCheckpoint().getFingerprint());
  }

  @Test
  void printableDropsEscapesControlsAndBidiOverridesButKeepsText() {
    assertEquals("error: checkpoint missing\n  at step 3\tok",
        TerminationMessage.printable("\u001B[1;31merror:\u001B[0m checkpoint\u0000 missing\r\n  at step 3\tok"));
    assertEquals("invoice gnp.exe", TerminationMessage.printable("invoice \u202Egnp.exe\u202C"), "shown as written");
    assertEquals("title gone", TerminationMessage.printable("title\u001B]0;pwned\u0007 gone"));
    assertEquals("日本語 ok é", TerminationMessage.printable("日本語 ok é"));
    assertEquals(null, TerminationMessage.printable(null));
  }

  @Test
  void listsEveryProblemAtOnce() {
    String json = "{\"v\":1,\"results\":[{\"task\":\"a\",\"predictedPassAt1\":-0.1,\"prompts\":0,\"actualPassAt1\":3}]}";
    InvalidReportException e = assertThrows(InvalidReportException.class, () -> ReportCodec.decode(json));
    assertEquals(3, e.problems().size(), e.getMessage());
  }

  @Test
  void clipKeepsWholeCharactersWithinTheLimit() {
    String clipped = TerminationMessage.clip("é".repeat(3000)); // 6000 bytes
    assertTrue(TerminationMessage.utf8Length(clipped) <= TerminationMessage.MAX_BYTES);
    assertTrue(clipped.endsWith("[truncated]"));
    assertEquals("short", TerminationMessage.clip("short"));
  }
}
