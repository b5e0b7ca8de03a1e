package dev.foresight.worker.safetensors;

import ai.djl.ndarray.types.DataType;
import java.util.Optional;

/**
 * The element types a safetensors file may hold that Foresight reads. {@link #BF16} has no DJL
 * counterpart that the PyTorch engine can hold (it aborts the JVM), so it is widened to
 * {@link DataType#FLOAT32} on load.
 */
public enum SafetensorsDtype {
  F64(8, DataType.FLOAT64),
  F32(4, DataType.FLOAT32),
  F16(2, DataType.FLOAT16),
  BF16(2, DataType.FLOAT32),
  I64(8, DataType.INT64),
  I32(4, DataType.INT32),
  I8(1, DataType.INT8),
  U8(1, DataType.UINT8),
  BOOL(1, DataType.BOOLEAN);

  private final int bytes;
  private final DataType loadedAs;

  SafetensorsDtype(int bytes, DataType loadedAs) {
    this.bytes = bytes;
    this.loadedAs = loadedAs;
  }

  /** Bytes per element in the file. */
  public int bytes() { return bytes; }

  /** The DJL type a tensor of this dtype has once loaded (BF16 is widened to FLOAT32). */
  public DataType loadedAs() { return loadedAs; }

  public boolean isFloatingPoint() { return this == F64 || this == F32 || this == F16 || this == BF16; }

  /** The dtype named {@code name} in a header, if Foresight reads it. */
  public static Optional<SafetensorsDtype> fromHeader(String name) {
    for (SafetensorsDtype d : values()) {
      if (d.name().equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** The file dtype that stores a DJL array of {@code type} unchanged. */
  public static SafetensorsDtype of(DataType type) {
    return switch (type) {
      case FLOAT64 -> F64;
      case FLOAT32 -> F32;
      case FLOAT16 -> F16;
      case INT64 -> I64;
      case INT32 -> I32;
      case INT8 -> I8;
      case UINT8 -> U8;
      case BOOLEAN -> BOOL;
      default -> throw new IllegalArgumentException("safetensors cannot store DJL type " + type);
    };
  }
}
