package dev.foresight.worker.scan;

import dev.foresight.api.worker.ScanCommand;
import dev.foresight.worker.WorkerException;

/**
 * The steps a scan reports: strictly between {@code above} and {@code below} (the monitor's "new
 * since" and "next page" bounds) and within {@code from}..{@code to} (the spec's range); null
 * leaves a side open.
 */
public record StepWindow(Long above, Long below, Long from, Long to) {

  public static final StepWindow ALL = new StepWindow(null, null, null, null);

  /** @throws WorkerException (invalid arguments) when {@code from} is above {@code to}: that range holds no step. */
  public StepWindow {
    if (from != null && to != null && from > to) {
      throw WorkerException.invalidArguments(ScanCommand.FROM + " " + from + " is above " + ScanCommand.TO + " " + to
          + ": no step lies in that range");
    }
  }

  public boolean contains(long step) {
    return (above == null || step > above) && (below == null || step < below)
        && (from == null || step >= from) && (to == null || step <= to);
  }
}
