/**
 * The decoder-only transformer, one readable class per part, run with DJL NDArray operations;
 * differentiable under DJL autograd for training. See docs/runtime.md for the API other parts use.
 */
package dev.foresight.worker.model;
