package dev.foresight.worker.safetensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A safetensors file (or shard index) that cannot be read as such. The message names the file, the
 * tensor where there is one, and the problem, so that a user can tell a truncated upload from a
 * file written by a buggy exporter.
 */
public class SafetensorsFormatException extends IOException {

  private final transient Path file;
  private final String tensor;
  private final String problem;

  public SafetensorsFormatException(Path file, String tensor, String problem) {
    this(file, tensor, problem, null);
  }

  public SafetensorsFormatException(Path file, String tensor, String problem, Throwable cause) {
    super(file + (tensor == null ? "" : ": tensor '" + tensor + "'") + ": " + problem, cause);
    this.file = file;
    this.tensor = tensor;
    this.problem = problem;
  }

  public Path file() { return file; }

  /** The tensor the problem is in, or empty for a problem with the file as a whole. */
  public Optional<String> tensor() { return Optional.ofNullable(tensor); }

  public String problem() { return problem; }
}
