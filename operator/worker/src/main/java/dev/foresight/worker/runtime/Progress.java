package dev.foresight.worker.runtime;

/** Told how far long work has come; the runtime never prints, callers draw progress bars. */
@FunctionalInterface
public interface Progress {

  Progress NONE = (done, total) -> { };

  /** {@code done} of {@code total} units (prompts or sequences) are finished. */
  void update(long done, long total);
}
