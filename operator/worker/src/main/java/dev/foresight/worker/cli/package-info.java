/** The {@code foresight} command line: the worker pod's entrypoint and the tool for running it by hand. */
package dev.foresight.worker.cli;
