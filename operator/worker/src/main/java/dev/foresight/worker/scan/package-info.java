/**
 * {@code foresight scan}: which checkpoint folders under a prefix are ready to evaluate. A folder's
 * name gives its step ({@link dev.foresight.worker.scan.StepPattern}); a
 * {@link dev.foresight.worker.scan.ReadinessRule} decides from a listing of its files (and, for a
 * sharded checkpoint, its small index) whether the trainer has finished it; the
 * {@link dev.foresight.worker.scan.CheckpointScan} puts the ready ones in a bounded report. Nothing
 * here reads weights or starts the tensor runtime.
 */
package dev.foresight.worker.scan;
