package dev.foresight.api.scan;

import dev.foresight.api.report.InvalidReportException;
import dev.foresight.api.report.StrictJson;
import dev.foresight.api.report.TerminationMessage;
import dev.foresight.api.v1alpha1.PendingCheckpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes and reads {@link ScanReport}s. The writer always fits {@link TerminationMessage#MAX_BYTES}:
 * it drops not-ready folders first (they are only informative), then the oldest ready checkpoints,
 * setting {@code more}. The reader trusts nothing: {@link StrictJson}'s checks, then steps
 * non-negative, unique and newest first, folder names that are single path segments.
 */
public final class ScanCodec {
  public static final int MAX_PATH = 255;
  public static final int MAX_FINGERPRINT = 128;
  public static final int MAX_WHY = 256;

  private ScanCodec() {}

  /** Serializes {@code report}, shrinking a copy as described above until it fits. */
  public static String encode(ScanReport report) {
    ScanReport r = copy(report);
    String json = write(r);
    while (!TerminationMessage.fits(json) && !r.getNotReady().isEmpty()) {
      r.getNotReady().remove(r.getNotReady().size() - 1);
      json = write(r);
    }
    while (!TerminationMessage.fits(json) && !r.getReady().isEmpty()) {
      r.getReady().remove(r.getReady().size() - 1);
      r.setMore(true);
      json = write(r);
    }
    return json;
  }

  private static ScanReport copy(ScanReport in) {
    ScanReport out = new ScanReport();
    out.setV(in.getV());
    out.setNewest(in.getNewest());
    out.setReadyTotal(in.getReadyTotal());
    out.setMore(in.getMore());
    out.setReady(new ArrayList<>(in.getReady()));
    List<PendingCheckpoint> notReady = new ArrayList<>(in.getNotReady());
    out.setNotReady(new ArrayList<>(notReady.subList(0, Math.min(notReady.size(), ScanReport.MAX_NOT_READY))));
    return out;
  }

  private static String write(ScanReport r) {
    return StrictJson.write(r, "scan report");
  }

  public static ScanReport decode(String message) throws InvalidReportException {
    return decode(message, field -> { });
  }

  /**
   * @param ignoredField told the path of each field of this version that this reader does not know
   * @throws InvalidReportException naming every problem
   */
  public static ScanReport decode(String message, Consumer<String> ignoredField) throws InvalidReportException {
    ScanReport report = StrictJson.read(message, "scan report", ScanReport.CURRENT_VERSION, ScanReport.class,
        ignoredField);
    List<String> problems = new ArrayList<>();
    check(report, problems);
    if (!problems.isEmpty()) {
      throw new InvalidReportException(problems);
    }
    return report;
  }

  private static void check(ScanReport r, List<String> problems) {
    if (r.getReady() == null || r.getNotReady() == null) {
      problems.add("ready and notReady must be arrays");
      return;
    }
    Long previous = null;
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < r.getReady().size(); i++) {
      ReadyCheckpoint c = r.getReady().get(i);
      String at = "ready[" + i + "]";
      if (c == null || c.getStep() == null || c.getStep() < 0) {
        problems.add(at + ".step must be a step (0 or more)");
        continue;
      }
      if (previous != null && c.getStep() >= previous) {
        problems.add(at + ".step " + c.getStep() + " is not below the step before it (" + previous + "): newest first, each once");
      }
      previous = c.getStep();
      checkPath(at + ".path", c.getPath(), problems);
      if (c.getPath() != null && !paths.add(c.getPath())) {
        problems.add(at + ".path '" + c.getPath() + "' appears twice");
      }
      checkText(at + ".fingerprint", c.getFingerprint(), MAX_FINGERPRINT, false, problems);
    }
    if (r.getNotReady().size() > ScanReport.MAX_NOT_READY) {
      problems.add("notReady lists " + r.getNotReady().size() + " folders, more than " + ScanReport.MAX_NOT_READY);
    }
    for (int i = 0; i < r.getNotReady().size(); i++) {
      PendingCheckpoint p = r.getNotReady().get(i);
      String at = "notReady[" + i + "]";
      if (p == null) {
        problems.add(at + " is null");
        continue;
      }
      checkPath(at + ".path", p.getPath(), problems);
      checkText(at + ".why", p.getWhy(), MAX_WHY, true, problems);
      if (p.getStep() != null && p.getStep() < 0) {
        problems.add(at + ".step is negative");
      }
    }
    int total = r.getReadyTotal() == null ? -1 : r.getReadyTotal();
    if (total < r.getReady().size()) {
      problems.add("readyTotal " + r.getReadyTotal() + " is less than the " + r.getReady().size() + " checkpoints listed");
    }
    if (!r.getReady().isEmpty() && (r.getNewest() == null || r.getNewest() < r.getReady().get(0).getStep())) {
      problems.add("newest " + r.getNewest() + " is below the newest listed step " + r.getReady().get(0).getStep());
    }
    if (!r.hasMore() && total > r.getReady().size()) {
      problems.add("readyTotal " + total + " exceeds the " + r.getReady().size() + " listed, yet more is not set");
    }
  }

  /** One folder name: no separator, no parent reference, printable. The scan reports only such folders. */
  public static boolean isFolderName(String path) {
    return path != null && !path.isEmpty() && path.length() <= MAX_PATH && !path.contains("/") && !path.equals(".")
        && !path.equals("..") && path.equals(TerminationMessage.printable(path)) && !path.contains("\n") && !path.contains("\t");
  }

  private static void checkPath(String at, String path, List<String> problems) {
    if (!isFolderName(path)) {
      problems.add(at + " must be one folder name (no '/', not '.' or '..', printable, at most " + MAX_PATH + " characters)");
    }
  }

  private static void checkText(String at, String text, int max, boolean required, List<String> problems) {
    if (text == null) {
      if (required) {
        problems.add(at + " is missing");
      }
    } else if (text.length() > max || !text.equals(TerminationMessage.printable(text))) {
      problems.add(at + " must be at most " + max + " printable characters");
    }
  }
}
