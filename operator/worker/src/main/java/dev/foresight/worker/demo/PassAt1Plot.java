package dev.foresight.worker.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Point;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The demo's PNG: one panel per task, pass@1 over training steps — actual (generation) as a line
 * with dots, predicted (the bundle's probe) as a line with its 95% interval as a band — and the
 * labelled checkpoints, where the probe learnt, shaded. Drawn with java.awt in headless mode.
 *
 * <p>Hand-written on purpose: XChart 3.8.8, tried in its place, drew a comparable chart but threw
 * "Probable fatal error: No physical fonts found" and left a 0-byte PNG on a runtime without fonts
 * (even with every title, legend and tick label turned off), where this draws the plot without
 * text; it lays its axes out from font metrics, so a test can no longer find each point where
 * {@link #position} puts it; and its POM brings PDFBox, FontBox and JUnit onto the runtime classpath.
 */
public final class PassAt1Plot {
  public static final int PANEL_WIDTH = 420;
  public static final int PANEL_HEIGHT = 320;
  public static final Color ACTUAL = new Color(0x1f, 0x5f, 0xb4);
  public static final Color PREDICTED = new Color(0xe0, 0x6c, 0x00);
  /**
   * Radius of the dots that mark actual pass@1 (predicted ones are a pixel smaller). Dots are drawn
   * after every line, actual ones last, so a dot's centre shows its series' colour unless an
   * actual dot covers it.
   */
  public static final int DOT = 4;

  private static final int LEFT = 52;
  private static final int RIGHT = 16;
  private static final int TOP = 56;
  private static final int BOTTOM = 44;
  private static final Color LABELLED = new Color(0xec, 0xec, 0xec);
  private static final Color BAND = new Color(0xe0, 0x6c, 0x00, 0x40);
  private static final Color GRID = new Color(0xd0, 0xd0, 0xd0);

  private PassAt1Plot() {}

  /**
   * Draws the labels. A Java runtime without any font (some minimal container images) fails the
   * first string it draws: the plot is then drawn without text rather than not at all.
   */
  private static final class Text {
    private final Graphics2D g;
    private boolean fonts = true;

    Text(Graphics2D g) {
      this.g = g;
    }

    void draw(String s, int x, int y, int style, int size, boolean centred) {
      if (!fonts) {
        return;
      }
      try {
        g.setFont(new Font(Font.SANS_SERIF, style, size));
        g.drawString(s, centred ? x - g.getFontMetrics().stringWidth(s) / 2 : x, y);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (RuntimeException | Error e) {
        fonts = false;
      }
    }
  }

  /** The image size for {@code tasks} panels, side by side. */
  public static java.awt.Dimension size(int tasks) {
    return new java.awt.Dimension(PANEL_WIDTH * tasks, PANEL_HEIGHT);
  }

  /** Where pass@1 {@code value} at {@code step} lands in panel {@code panel} (steps run from 0 to {@code lastStep}). */
  public static Point position(int panel, int step, double value, int lastStep) {
    double width = PANEL_WIDTH - LEFT - RIGHT;
    double height = PANEL_HEIGHT - TOP - BOTTOM;
    int x = panel * PANEL_WIDTH + LEFT + (int) Math.round(width * step / lastStep);
    int y = TOP + (int) Math.round(height * (1 - Math.max(0, Math.min(1, value))));
    return new Point(x, y);
  }

  public static void write(DemoResult result, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<String> tasks = result.tasks();
    java.awt.Dimension size = size(tasks.size());
    BufferedImage image = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, size.width, size.height);
      Text text = new Text(g);
      for (int i = 0; i < tasks.size(); i++) {
        panel(g, text, result, i, tasks.get(i));
      }
    } finally {
      g.dispose();
    }
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer in this Java runtime");
    }
  }

  private static void panel(Graphics2D g, Text text, DemoResult r, int panel, String task) {
    List<CheckpointPoint> points = r.checkpoints();
    int last = points.get(points.size() - 1).step();
    Point origin = position(panel, 0, 0, last);
    Point top = position(panel, last, 1, last);

    int lastLabelled = r.plan().labelledSteps().get(r.plan().labelledCheckpoints() - 1);
    Point shadeEnd = position(panel, lastLabelled, 1, last);
    g.setColor(LABELLED);
    g.fillRect(origin.x, top.y, shadeEnd.x - origin.x, origin.y - top.y);

    for (int k = 0; k <= 4; k++) {
      Point p = position(panel, 0, k / 4.0, last);
      g.setColor(GRID);
      g.drawLine(origin.x, p.y, top.x, p.y);
      g.setColor(Color.DARK_GRAY);
      text.draw(String.format(Locale.ROOT, "%.2f", k / 4.0), origin.x - 34, p.y + 4, Font.PLAIN, 11, false);
    }
    for (int k = 0; k <= 4; k++) {
      int step = (int) Math.round(last * k / 4.0);
      Point p = position(panel, step, 0, last);
      g.drawLine(p.x, origin.y, p.x, origin.y + 4);
      text.draw(Integer.toString(step), p.x, origin.y + 17, Font.PLAIN, 11, true);
    }
    g.setColor(Color.BLACK);
    g.drawRect(origin.x, top.y, top.x - origin.x, origin.y - top.y);
    text.draw("training step", (origin.x + top.x) / 2, origin.y + 34, Font.PLAIN, 11, true);
    text.draw("labelled", origin.x + 4, top.y + 14, Font.PLAIN, 11, false);
    text.draw(task, panel * PANEL_WIDTH + LEFT, 20, Font.BOLD, 14, false);
    legend(g, text, panel, r);

    Path2D band = new Path2D.Double();
    for (int i = 0; i < points.size(); i++) {
      CheckpointPoint.Prediction p = prediction(points.get(i), task, r.family());
      Point at = position(panel, points.get(i).step(), p.high(), last);
      if (i == 0) {
        band.moveTo(at.x, at.y);
      } else {
        band.lineTo(at.x, at.y);
      }
    }
    for (int i = points.size() - 1; i >= 0; i--) {
      Point at = position(panel, points.get(i).step(), prediction(points.get(i), task, r.family()).low(), last);
      band.lineTo(at.x, at.y);
    }
    band.closePath();
    g.setColor(BAND);
    g.fill(band);

    g.setStroke(new BasicStroke(2f));
    Value predicted = c -> prediction(c, task, r.family()).passAt1();
    Value actual = c -> c.tasks().get(task).actualPassAt1();
    // Lines first, dots after, actual dots last: every dot's centre shows its own colour.
    line(g, panel, points, last, PREDICTED, predicted);
    line(g, panel, points, last, ACTUAL, actual);
    dots(g, panel, points, last, PREDICTED, predicted, DOT - 1);
    dots(g, panel, points, last, ACTUAL, actual, DOT);
  }

  private static void legend(Graphics2D g, Text text, int panel, DemoResult r) {
    if (panel != 0) {
      return;
    }
    int x = LEFT + 60;
    g.setColor(ACTUAL);
    g.fillRect(x, 12, 14, 3);
    g.setColor(Color.BLACK);
    text.draw("actual (generation, " + r.plan().world().labelling().samples() + " samples)", x + 20, 18, Font.PLAIN, 11,
        false);
    g.setColor(PREDICTED);
    g.fillRect(x, 30, 14, 3);
    g.setColor(BAND);
    g.fillRect(x, 25, 14, 13);
    g.setColor(Color.BLACK);
    text.draw("predicted (" + r.family() + " probe), 95% interval", x + 20, 36, Font.PLAIN, 11, false);
  }

  private interface Value {
    double of(CheckpointPoint c);
  }

  private static void line(Graphics2D g, int panel, List<CheckpointPoint> points, int last, Color color, Value value) {
    g.setColor(color);
    Point previous = null;
    for (CheckpointPoint c : points) {
      Point p = position(panel, c.step(), value.of(c), last);
      if (previous != null) {
        g.drawLine(previous.x, previous.y, p.x, p.y);
      }
      previous = p;
    }
  }

  private static void dots(Graphics2D g, int panel, List<CheckpointPoint> points, int last, Color color, Value value,
      int radius) {
    g.setColor(color);
    for (CheckpointPoint c : points) {
      Point p = position(panel, c.step(), value.of(c), last);
      g.fillOval(p.x - radius, p.y - radius, 2 * radius + 1, 2 * radius + 1);
    }
  }

  private static CheckpointPoint.Prediction prediction(CheckpointPoint c, String task, String family) {
    return c.tasks().get(task).predicted().get(family);
  }
}
