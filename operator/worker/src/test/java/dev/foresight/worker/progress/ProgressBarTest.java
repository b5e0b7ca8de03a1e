package dev.foresight.worker.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong nanos = new AtomicLong();

  private void sleep(double seconds) { nanos.addAndGet((long) (seconds * 1e9)); }

  private String text() { return bytes.toString(StandardCharsets.UTF_8); }

  @Test
  void barRedrawsInPlaceWithRateAndEta() {
    try (ProgressBar bar = new ProgressBar("label", "prompts", 100, ProgressBar.Mode.BAR, out, nanos::get)) {
      sleep(5);
      bar.advance(25);
      // 25 in 5 s: 5 prompts/s, 75 left: 15 s.
      assertTrue(text().endsWith("\rlabel  [######..................]  25/100 prompts  5.0 prompts/s  ETA 0:15\u001b[K"), text());
      sleep(15);
      bar.advance(75);
    }
    assertTrue(text().contains("100/100 prompts  5.0 prompts/s  done in 0:20"), text());
    assertTrue(text().endsWith("\n"));
    assertEquals(1, text().chars().filter(c -> c == '\n').count(), "one line on a terminal");
  }

  @Test
  void withoutATerminalItPrintsPeriodicLinesAndNoCarriageReturns() {
    try (ProgressBar bar = new ProgressBar("extract", "prompts", 1000, ProgressBar.Mode.LINES, out, nanos::get)) {
      for (int i = 0; i < 1000; i++) {
        sleep(0.1);
        bar.advance(1);
      }
    }
    String t = text();
    assertFalse(t.contains("\r"), t);
    String[] lines = t.split("\n");
    // 100 s of work, a line every 10 s, and the final one.
    assertEquals(10, lines.length, t);
    assertEquals("extract   10%  100/1000 prompts  10.0 prompts/s  ETA 1:30", lines[0]);
    assertTrue(lines[9].endsWith("1000/1000 prompts  10.0 prompts/s  done in 1:40"), lines[9]);
  }

  @Test
  void offPrintsNothingAndClockFormats() {
    try (ProgressBar bar = new ProgressBar("x", "steps", 3, ProgressBar.Mode.OFF, out, nanos::get)) {
      bar.advance(3);
    }
    assertEquals("", text());
    assertEquals("1:01:05", ProgressBar.clock(3665));
    assertEquals("0:59", ProgressBar.clock(59.4));
  }
}
