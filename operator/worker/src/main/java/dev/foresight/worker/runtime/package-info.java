/**
 * What callers run on a loaded model: {@link dev.foresight.worker.runtime.Prefill} (hidden states
 * and continuation log-probabilities over a prompt set) and {@link dev.foresight.worker.runtime.Generator}
 * (KV-cache generation). The runtime never prints: progress goes to a {@link dev.foresight.worker.runtime.Progress}.
 */
package dev.foresight.worker.runtime;
