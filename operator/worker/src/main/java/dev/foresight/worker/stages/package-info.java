/**
 * The stages of a ProbeTraining as the worker runs them ({@code foresight training check|label|
 * import|extract|train}): each reads the plan the operator mounted, finds its part from the pod's
 * completion index, and writes into the plan's work folder only whole files, so that a stage that
 * finds its output present skips it.
 */
package dev.foresight.worker.stages;
