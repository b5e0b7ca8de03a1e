package dev.foresight.worker.cli;

import dev.foresight.worker.Cancellation;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The shutdown hook that lets a command stop before the JVM exits (see {@link Cancellation}): on
 * SIGTERM it requests a stop and waits until the command has returned, so no thread is inside
 * libtorch when the JVM tears down. The wait is bounded by {@link #GRACE}, well inside
 * Kubernetes' default 30 s termination grace, so a command stuck in one long native call still
 * exits before the kubelet's SIGKILL. The JVM then exits with 128 + the signal (143 for SIGTERM).
 */
final class StopOnSignal {
  static final Duration GRACE = Duration.ofSeconds(20);

  private final CountDownLatch commandReturned = new CountDownLatch(1);

  private StopOnSignal() {}

  static StopOnSignal install() {
    StopOnSignal stop = new StopOnSignal();
    Runtime.getRuntime().addShutdownHook(new Thread(stop::stopCommand, "foresight-stop"));
    return stop;
  }

  /** The command has returned: nothing of it runs any more. */
  void commandReturned() {
    commandReturned.countDown();
  }

  private void stopCommand() {
    // Also runs on a normal System.exit, after commandReturned(): then the wait ends at once.
    Cancellation.request("the process was asked to terminate (SIGTERM or Ctrl-C)");
    try {
      if (!commandReturned.await(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        System.err.println("foresight: the command did not stop within " + GRACE.toSeconds() + " s; exiting anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
