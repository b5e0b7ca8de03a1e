package dev.foresight.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;

/** Floating-point type of the forward pass. float16 only makes sense on a GPU. */
public enum Dtype {
  FLOAT32("float32"),
  FLOAT16("float16");

  private final String wireName;

  Dtype(String wireName) { this.wireName = wireName; }

  @JsonValue
  public String wireName() { return wireName; }

  public static Dtype fromWireName(String name) {
    for (Dtype d : values()) {
      if (d.wireName.equals(name)) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown dtype '" + name + "' (expected float32 or float16)");
  }
}
