package dev.foresight.api.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.foresight.api.report.InvalidReportException;
import dev.foresight.api.report.TerminationMessage;
import dev.foresight.api.v1alpha1.PendingCheckpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScanCodecTest {

  static ScanReport backlog(int checkpoints, int notReady) {
    ScanReport r = new ScanReport();
    List<ReadyCheckpoint> ready = new ArrayList<>();
    for (int i = checkpoints; i >= 1; i--) {
      ready.add(new ReadyCheckpoint(i * 1000L, "step-" + i * 1000, "etag:" + Integer.toHexString(i * 7919)));
    }
    r.setReady(ready);
    r.setReadyTotal(checkpoints);
    r.setNewest(checkpoints == 0 ? null : checkpoints * 1000L);
    List<PendingCheckpoint> pending = new ArrayList<>();
    for (int i = 0; i < notReady; i++) {
      pending.add(new PendingCheckpoint("step-" + (checkpoints + 1 + i) * 1000, (checkpoints + 1L + i) * 1000,
          "no .ready marker yet"));
    }
    r.setNotReady(pending);
    return r;
  }

  @Test
  void aSmallReportRoundTrips() throws InvalidReportException {
    ScanReport back = ScanCodec.decode(ScanCodec.encode(backlog(3, 1)));
    assertEquals(List.of(3000L, 2000L, 1000L), back.getReady().stream().map(ReadyCheckpoint::getStep).toList());
    assertEquals("step-2000", back.getReady().get(1).getPath());
    assertEquals(3000L, back.getNewest());
    assertEquals("no .ready marker yet", back.getNotReady().get(0).getWhy());
    assertEquals(false, back.hasMore());
  }

  @Test
  void aBacklogTooLargeKeepsTheNewestAndSaysThereIsMore() throws InvalidReportException {
    String json = ScanCodec.encode(backlog(1000, 10));
    assertTrue(TerminationMessage.utf8Length(json) <= TerminationMessage.MAX_BYTES);
    ScanReport page = ScanCodec.decode(json);
    assertTrue(page.hasMore());
    assertEquals(1000, page.getReadyTotal());
    assertEquals(1_000_000L, page.getReady().get(0).getStep(), "the newest first");
    assertTrue(page.getReady().size() > 20, "a page holds tens of checkpoints: " + page.getReady().size());
    assertEquals(List.of(), page.getNotReady(), "informative entries go first");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"v\":1,\"newest\":2,\"readyTotal\":2,\"ready\":[{\"step\":1,\"path\":\"a\"},{\"step\":2,\"path\":\"b\"}]} | not below the step before it",
      "{\"v\":1,\"newest\":2,\"readyTotal\":1,\"ready\":[{\"step\":2,\"path\":\"../etc\"}]} | must be one folder name",
      "{\"v\":1,\"newest\":2,\"readyTotal\":1,\"ready\":[{\"step\":2,\"path\":\"a/b\"}]} | must be one folder name",
      "{\"v\":1,\"newest\":2,\"readyTotal\":5,\"ready\":[{\"step\":2,\"path\":\"a\"}]} | yet more is not set",
      "{\"v\":1,\"newest\":1,\"readyTotal\":1,\"ready\":[{\"step\":2,\"path\":\"a\"}]} | is below the newest listed step",
      "{\"v\":1,\"readyTotal\":1,\"ready\":[{\"step\":\"2\",\"path\":\"a\"}]} | ready[0].step must be a whole JSON number, not a string",
      "{\"v\":1,\"notReady\":[{\"path\":\"a\"}]} | notReady[0].why is missing",
      "{\"v\":2,\"ready\":[]} | the worker wrote scan report version 2, and this operator reads version 1",
  })
  void aBadScanReportIsRefusedSayingWhy(String message, String expected) {
    InvalidReportException e = assertThrows(InvalidReportException.class, () -> ScanCodec.decode(message));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
