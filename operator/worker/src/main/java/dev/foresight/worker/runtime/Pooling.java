package dev.foresight.worker.runtime;

/** Which positions of a prompt's hidden states prefill returns. */
public enum Pooling {
  /** The last prompt token: one vector per layer (linear and MLP probes). */
  LAST,
  /** The mean over the prompt's tokens: one vector per layer. */
  MEAN,
  /** Every prompt token: promptLength vectors per layer (attention-pooling probes). */
  ALL
}
