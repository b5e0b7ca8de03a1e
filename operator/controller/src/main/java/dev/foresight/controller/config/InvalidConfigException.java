package dev.foresight.controller.config;

import java.util.List;

/** The operator configuration is unusable; the message names every bad key and why. */
public class InvalidConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public InvalidConfigException(List<String> problems) {
    super("invalid operator configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() { return problems; }
}
