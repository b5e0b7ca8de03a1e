package dev.foresight.worker.probe;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of probe a bundle can hold. */
public enum ProbeFamily {
  /** Logistic regression on one pooled hidden state (or several layers', concatenated). */
  LINEAR("linear", false),
  /** One hidden ReLU layer on the same input as {@link #LINEAR}. */
  MLP("mlp", false),
  /** Attention pooling over every prompt position: one learned query per head, then a linear head. */
  ATTENTION("attention", true),
  /** A copy of the checkpoint's last k decoder blocks and its final norm, fed layer L−k's states, then a linear head. */
  SUBMODEL("submodel", true);

  private final String wireName;
  private final boolean readsEveryPosition;

  ProbeFamily(String wireName, boolean readsEveryPosition) {
    this.wireName = wireName;
    this.readsEveryPosition = readsEveryPosition;
  }

  @JsonValue
  public String wireName() { return wireName; }

  /** Whether the probe needs the states of every prompt token, not one pooled vector per prompt. */
  public boolean readsEveryPosition() { return readsEveryPosition; }

  @JsonCreator
  public static ProbeFamily fromWireName(String name) {
    for (ProbeFamily f : values()) {
      if (f.wireName.equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown probe family '" + name + "' (expected one of "
        + Arrays.stream(values()).map(ProbeFamily::wireName).collect(Collectors.joining(", ")) + ")");
  }

  @Override
  public String toString() { return wireName; }
}
