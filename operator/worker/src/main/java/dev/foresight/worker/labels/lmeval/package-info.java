/**
 * Labels from lm-evaluation-harness: reads the per-sample logs that {@code lm_eval --log_samples}
 * writes ({@code samples_<task>_<timestamp>.jsonl}), matches each logged document to a prompt of
 * our task files, and writes the same label files {@code foresight label} writes, so a team's usual
 * evaluation serves as the probes' ground truth without generating again.
 */
package dev.foresight.worker.labels.lmeval;
