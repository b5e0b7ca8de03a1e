package dev.foresight.worker.scan;

import dev.foresight.api.scan.ReadyCheckpoint;
import dev.foresight.api.scan.ScanReport;
import java.util.List;

/** A report as compact text for exact comparisons: "step path" per ready one, "path step: why" per pending one. */
public final class ScanReports {
  private ScanReports() {}

  public static List<String> ready(ScanReport r) {
    return r.getReady().stream().map(c -> c.getStep() + " " + c.getPath()).toList();
  }

  public static List<String> notReady(ScanReport r) {
    return r.getNotReady().stream().map(p -> p.getPath() + " " + p.getStep() + ": " + p.getWhy()).toList();
  }

  public static List<Long> steps(ScanReport r) {
    return r.getReady().stream().map(ReadyCheckpoint::getStep).toList();
  }
}
