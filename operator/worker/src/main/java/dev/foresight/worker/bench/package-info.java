/** Benchmarks run by {@code foresight bench}; results go to BENCHMARKS.md, never into test assertions. */
package dev.foresight.worker.bench;
