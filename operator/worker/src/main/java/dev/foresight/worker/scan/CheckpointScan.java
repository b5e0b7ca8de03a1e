package dev.foresight.worker.scan;

import dev.foresight.api.report.TerminationMessage;
import dev.foresight.api.scan.ReadyCheckpoint;
import dev.foresight.api.scan.ScanCodec;
import dev.foresight.api.scan.ScanReport;
import dev.foresight.api.v1alpha1.PendingCheckpoint;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.storage.FolderListing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One scan of a prefix: list its folders, read each one's step, refuse two folders with the same
 * step, and ask the {@link ReadinessRule} about those in the {@link StepWindow} only (a monitor
 * that has seen step N scans above N, so a long run costs one listing plus the new folders).
 */
public final class CheckpointScan {

  /** The report and what the summary tells a person about the rest. */
  public record Result(ScanReport report, int folders, int withoutStep, int outsideWindow) {}

  /** Folder checks in flight at once: for S3 each is a round trip, so overlapping them is most of the speed. */
  public static final int PARALLEL_CHECKS = 8;

  private record Candidate(String name, long step) {}

  private record Checked(Candidate folder, Verdict verdict) {}

  private final FolderListing listing;
  private final StepPattern steps;
  private final ReadinessRule rule;
  private final StepWindow window;
  private final int parallelism;

  /**
   * @param parallelism folders checked at once: each check is a listing request (and maybe a read),
   *     which for S3 is a network round trip worth overlapping
   */
  public CheckpointScan(FolderListing listing, StepPattern steps, ReadinessRule rule, StepWindow window, int parallelism) {
    this.listing = listing;
    this.steps = steps;
    this.rule = rule;
    this.window = window;
    this.parallelism = Math.max(1, parallelism);
  }

  /**
   * @throws WorkerException (invalid arguments) when two folders give the same step; the storage's
   *     own errors (missing prefix, refused credentials) as {@link FolderListing} throws them
   */
  public Result run() throws InterruptedException {
    Map<Long, String> folderOfStep = new HashMap<>();
    List<Candidate> candidates = new ArrayList<>();
    int[] counts = new int[3]; // folders, without a step, outside the window
    listing.forEachFolder(name -> {
      counts[0]++;
      OptionalLong step = ScanCodec.isFolderName(name) ? steps.step(name) : OptionalLong.empty();
      if (step.isEmpty()) {
        counts[1]++;
        return;
      }
      String other = folderOfStep.putIfAbsent(step.getAsLong(), name);
      if (other != null) {
        throw duplicate(step.getAsLong(), other, name);
      }
      if (window.contains(step.getAsLong())) {
        candidates.add(new Candidate(name, step.getAsLong()));
      } else {
        counts[2]++;
      }
    });
    candidates.sort(Comparator.comparingLong(Candidate::step).reversed());
    return new Result(report(check(candidates)), counts[0], counts[1], counts[2]);
  }

  private WorkerException duplicate(long step, String a, String b) {
    String first = a.compareTo(b) <= 0 ? a : b;
    String second = first.equals(a) ? b : a;
    return WorkerException.invalidArguments("folders '" + first + "' and '" + second + "' under " + listing.location()
        + " both give step " + step + ": remove or rename one, or set a step pattern that tells them apart");
  }

  private List<Checked> check(List<Candidate> candidates) throws InterruptedException {
    if (parallelism == 1 || candidates.size() < 2) {
      List<Checked> out = new ArrayList<>(candidates.size());
      for (Candidate c : candidates) {
        out.add(check(c));
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, candidates.size()), r -> {
      Thread t = new Thread(r, "foresight-scan");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Checked>> futures = new ArrayList<>(candidates.size());
      for (Candidate c : candidates) {
        futures.add(pool.submit(() -> check(c)));
      }
      List<Checked> out = new ArrayList<>(candidates.size());
      for (Future<Checked> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // the storage's own error, with its exit code
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private Checked check(Candidate c) {
    return new Checked(c, rule.check(new CheckpointFolder(c.name(), c.step(), listing.files(c.name())), listing));
  }

  /** Newest first, as they were sorted; not-ready folders cut to the few a report lists. */
  private static ScanReport report(List<Checked> checked) {
    ScanReport report = new ScanReport();
    for (Checked c : checked) {
      if (c.verdict().ready()) {
        report.getReady().add(new ReadyCheckpoint(c.folder().step(), c.folder().name(), c.verdict().fingerprint()));
      } else if (report.getNotReady().size() < ScanReport.MAX_NOT_READY) {
        report.getNotReady().add(new PendingCheckpoint(c.folder().name(), c.folder().step(), words(c.verdict().why())));
      }
    }
    report.setReadyTotal(report.getReady().size());
    report.setNewest(report.getReady().isEmpty() ? null : report.getReady().get(0).getStep());
    return report;
  }

  /** A reason as the report carries it: printable, and short enough for the reader's limit. */
  private static String words(String why) {
    String text = TerminationMessage.printable(why).replace('\n', ' ').replace('\t', ' ');
    return text.length() <= ScanCodec.MAX_WHY ? text : text.substring(0, ScanCodec.MAX_WHY - 1) + "…";
  }
}
