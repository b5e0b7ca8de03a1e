/**
 * Labels from a ProbeMonitor's validation runs: the per-prompt outputs that {@code foresight
 * evaluate --validate --output} wrote (passed of samples per prompt) become label files of the
 * training's task set, with no generation again.
 */
package dev.foresight.worker.labels.validation;
