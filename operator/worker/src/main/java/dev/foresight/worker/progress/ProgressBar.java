package dev.foresight.worker.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of one long step (labelling, extraction, training) on stderr, with rate and ETA.
 *
 * <p>On a terminal it redraws one line in place with a carriage return. Elsewhere (a pod's log, a
 * file, CI) carriage returns would pile up into one unreadable line, so it prints a plain line at
 * most every {@link #LINE_INTERVAL} and one when done. {@code FORESIGHT_PROGRESS=bar|lines|off}
 * overrides the choice.
 *
 * <p>Hand-written on purpose: {@code me.tongfei:progressbar} 0.10.1, tried in its place, wrote three
 * log lines for each step shorter than its 10 s interval where this writes one (a 0% line and the
 * final line twice), showed the rate as "?" for any step under a second (most of the demo's), and
 * by default sends carriage returns and colour codes to a log; its rendering runs on a timer
 * thread, so its output cannot be tested against a fake clock.
 */
public final class ProgressBar implements AutoCloseable {
  public static final Duration LINE_INTERVAL = Duration.ofSeconds(10);
  private static final Duration REDRAW_INTERVAL = Duration.ofMillis(100);
  private static final int WIDTH = 24;

  public enum Mode { BAR, LINES, OFF }

  /** Makes the bars of a piece of work, so a caller can show them, or keep them quiet inside a bar of its own. */
  @FunctionalInterface
  public interface Factory {
    ProgressBar create(String label, String unit, long total);

    /** Bars on stderr ({@link #onStderr}). */
    Factory STDERR = ProgressBar::onStderr;

    /** Bars that count and print nothing. */
    Factory SILENT = (label, unit, total) -> new ProgressBar(label, unit, total, Mode.OFF, System.err, System::nanoTime);
  }

  private final String label;
  private final String unit;
  private final long total;
  private final Mode mode;
  private final PrintStream out;
  private final LongSupplier nanoClock;
  private final long start;
  private long done;
  private long lastDrawn;
  private long drawnDone = -1;
  private boolean finished;

  public ProgressBar(String label, String unit, long total, Mode mode, PrintStream out, LongSupplier nanoClock) {
    this.label = label;
    this.unit = unit;
    this.total = Math.max(0, total);
    this.mode = mode;
    this.out = out;
    this.nanoClock = nanoClock;
    this.start = nanoClock.getAsLong();
    this.lastDrawn = start;
    if (mode == Mode.BAR) {
      draw(start);
    }
  }

  /** A bar on stderr in the mode that suits it (see the class comment). */
  public static ProgressBar onStderr(String label, String unit, long total) {
    return new ProgressBar(label, unit, total, modeForStderr(), System.err, System::nanoTime);
  }

  static Mode modeForStderr() {
    String forced = System.getenv("FORESIGHT_PROGRESS");
    if (forced != null) {
      for (Mode m : Mode.values()) {
        if (m.name().equalsIgnoreCase(forced.strip())) {
          return m;
        }
      }
    }
    // Java 17 cannot ask whether stderr alone is a terminal; a console means an interactive session.
    String term = System.getenv("TERM");
    return System.console() != null && term != null && !term.equals("dumb") ? Mode.BAR : Mode.LINES;
  }

  /** Counts {@code n} more units done. */
  public void advance(long n) {
    moveTo(done + n);
  }

  /**
   * Sets the units done so far (for work that reports totals, like the runtime's
   * {@code Progress}: {@code (done, total) -> bar.moveTo(done)}).
   */
  public void moveTo(long units) {
    done = Math.max(0, Math.min(total, units));
    long now = nanoClock.getAsLong();
    Duration interval = mode == Mode.BAR ? REDRAW_INTERVAL : LINE_INTERVAL;
    if (mode != Mode.OFF && (now - lastDrawn >= interval.toNanos() || (done == total && mode == Mode.BAR))) {
      draw(now);
    }
  }

  public long done() { return done; }

  private void draw(long now) {
    lastDrawn = now;
    drawnDone = done;
    String text = render(now);
    if (mode == Mode.BAR) {
      out.print("\r" + text + "\u001b[K");
    } else {
      out.println(text);
    }
    out.flush();
  }

  /** E.g. {@code label  [#########...............]  45/120 prompts  3.2 prompts/s  ETA 0:23}. */
  String render(long now) {
    double seconds = (now - start) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    StringBuilder sb = new StringBuilder(label).append("  ");
    if (mode == Mode.BAR) {
      int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
      sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("]  ");
    } else {
      sb.append(String.format(Locale.ROOT, "%3d%%  ", total == 0 ? 100 : 100 * done / total));
    }
    sb.append(done).append('/').append(total).append(' ').append(unit);
    sb.append(String.format(Locale.ROOT, "  %.1f %s/s", rate, unit));
    if (done == total) {
      sb.append("  done in ").append(clock(seconds));
    } else if (finished) {
      sb.append("  stopped after ").append(clock(seconds));
    } else if (rate > 0) {
      sb.append("  ETA ").append(clock((total - done) / rate));
    }
    return sb.toString();
  }

  public static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  /**
   * Ends the bar: a final line with the elapsed time, saying "stopped" when not every unit was
   * counted (early stopping, an error).
   */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    finished = true;
    if (mode == Mode.OFF) {
      return;
    }
    if (drawnDone != done || done != total) {
      draw(nanoClock.getAsLong());
    }
    if (mode == Mode.BAR) {
      out.println();
    }
    out.flush();
  }
}
