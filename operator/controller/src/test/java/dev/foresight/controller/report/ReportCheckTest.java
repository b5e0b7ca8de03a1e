package dev.foresight.controller.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.report.EvaluationReport;
import dev.foresight.api.report.ReportCodec;
import dev.foresight.api.v1alpha1.TaskResult;
import dev.foresight.controller.support.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportCheckTest {
  static final List<String> TASKS = List.of("gsm8k", "mbpp");

  @Test
  void aGoodReportGivesItsResults() {
    ReportCheck.Outcome outcome = ReportCheck.check(Fixtures.terminationMessage(TASKS, List.of(0.41, 0.37)), TASKS);
    ReportCheck.Accepted accepted = assertInstanceOf(ReportCheck.Accepted.class, outcome);
    assertEquals(List.of(0.41, 0.37), accepted.report().getResults().stream().map(TaskResult::getPredictedPassAt1).toList());
    assertNull(accepted.note());
    assertInstanceOf(ReportCheck.Accepted.class, ReportCheck.check(Fixtures.terminationMessage(TASKS, List.of(0.4, 0.3)), null),
        "no tasks requested: every task of the bundle is welcome");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "malformed JSON          | {\"v\":1,\"results\":[                                                   | malformed JSON",
      "log lines instead       | Traceback (most recent call last):                                      | malformed JSON",
      "control characters      | {\"v\":1,\"results\":[{\"task\":\"gsm\\u001b[31m8k\",\"predictedPassAt1\":0.4,\"prompts\":5}]} | results[0].task 'gsm8k' is not a valid task name",
      "out of range            | {\"v\":1,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":-0.1,\"prompts\":5}]} | predictedPassAt1 = -0.1 is outside",
      "not a number            | {\"v\":1,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":\"high\",\"prompts\":5}]} | predictedPassAt1 must be a JSON number, not a string",
      "a number as a string    | {\"v\":1,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":\"0.4\",\"prompts\":5}]} | predictedPassAt1 must be a JSON number, not a string",
      "newer version           | {\"v\":2,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":0.1,\"prompts\":5}]} | report version 2, and this operator reads version 1",
      "empty                   | ' '                                                                     | empty termination message",
  })
  void aBadReportIsRejectedSayingWhatIsWrong(String what, String message, String expected) {
    ReportCheck.Rejected rejected = assertInstanceOf(ReportCheck.Rejected.class, ReportCheck.check(message, List.of("gsm8k")));
    assertTrue(rejected.problem().contains(expected), what + ": " + rejected.problem());
  }

  @Test
  void aNewerWorkersExtraFieldsAreIgnored() {
    String newer = "{\"v\":1,\"results\":[{\"task\":\"gsm8k\",\"predictedPassAt1\":0.41,\"prompts\":5,\"entropy\":2.5}],"
        + "\"device\":{\"name\":\"H200\"}}";
    ReportCheck.Accepted accepted = assertInstanceOf(ReportCheck.Accepted.class, ReportCheck.check(newer, List.of("gsm8k")));
    assertEquals(0.41, accepted.report().getResults().get(0).getPredictedPassAt1());
  }

  @Test
  void anOversizeMessageIsRejected() {
    String huge = "{\"v\":1,\"results\":[],\"pad\":\"" + "x".repeat(5000) + "\"}";
    ReportCheck.Rejected rejected = assertInstanceOf(ReportCheck.Rejected.class, ReportCheck.check(huge, null));
    assertTrue(rejected.problem().contains("over the 4096-byte limit"), rejected.problem());
  }

  @Test
  void aMissingRequestedTaskIsRejectedUnlessTheReportWasTruncated() {
    String onlyGsm8k = Fixtures.terminationMessage(List.of("gsm8k"), List.of(0.41));
    ReportCheck.Rejected rejected = assertInstanceOf(ReportCheck.Rejected.class, ReportCheck.check(onlyGsm8k, TASKS));
    assertTrue(rejected.problem().contains("lacks results for [mbpp]"), rejected.problem());

    EvaluationReport truncated = Fixtures.report(List.of("gsm8k"), List.of(0.41));
    truncated.setTruncated(true);
    ReportCheck.Accepted accepted = assertInstanceOf(ReportCheck.Accepted.class,
        ReportCheck.check(ReportCodec.encode(truncated), TASKS));
    assertTrue(accepted.note().contains("1 of the 2 requested tasks"), accepted.note());
  }

  @Test
  void aTaskThatWasNotRequestedIsRejected() {
    ReportCheck.Rejected rejected = assertInstanceOf(ReportCheck.Rejected.class,
        ReportCheck.check(Fixtures.terminationMessage(TASKS, List.of(0.4, 0.3)), List.of("gsm8k")));
    assertTrue(rejected.problem().contains("[mbpp], which spec.tasks did not request"), rejected.problem());
  }

  @Test
  void aReportTheCodecShrankStillCarriesItsTasks() {
    // 60 tasks with long names do not fit 4096 bytes: the codec drops details, then tasks, and says so.
    List<String> tasks = new ArrayList<>();
    List<Double> predictions = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      tasks.add("task-with-a-rather-long-name-" + i);
      predictions.add(i / 100.0);
    }
    ReportCheck.Accepted accepted = assertInstanceOf(ReportCheck.Accepted.class,
        ReportCheck.check(ReportCodec.encode(Fixtures.report(tasks, predictions)), tasks));
    assertTrue(accepted.report().isTruncated());
    assertTrue(accepted.note().contains("requested tasks are here"), accepted.note());
  }

  @Test
  void noPodNoReport() {
    ReportCheck.Rejected rejected = assertInstanceOf(ReportCheck.Rejected.class, ReportCheck.check(null, TASKS));
    assertTrue(rejected.problem().contains("worker pod is gone"), rejected.problem());
  }
}
