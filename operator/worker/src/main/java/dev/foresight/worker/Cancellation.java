package dev.foresight.worker;

import dev.foresight.api.worker.WorkerExitCode;

/**
 * Asks long work to stop at its next safe point. On SIGTERM (a pod's eviction or preemption,
 * Ctrl-C) the JVM runs its shutdown hooks and then exits while other threads still run; exiting
 * while a thread was inside libtorch once crashed the JVM (SIGSEGV in
 * {@code at::accelerator::getAccelerator}). So the CLI's shutdown hook {@link #request requests}
 * a stop, and loops {@link #check} between native calls: the work then unwinds through its
 * try-with-resources, closing its NDManagers, before the JVM exits.
 */
public final class Cancellation {
  private static volatile String reason;

  private Cancellation() {}

  /** From now on, {@link #check} throws {@link Stopped} with {@code why} in its message. */
  public static void request(String why) {
    reason = why;
  }

  /** Throws {@link Stopped} once a stop was requested; call it between native calls, never inside a scope's use. */
  public static void check() {
    String why = reason;
    if (why != null) {
      throw new Stopped(why);
    }
  }

  /** The work stopped on request; what it finished is kept (see each command's help on continuing). */
  public static final class Stopped extends WorkerException {
    private static final long serialVersionUID = 1L;

    Stopped(String why) {
      super(WorkerExitCode.FAILED, "stopped: " + why);
    }
  }
}
