package dev.foresight.worker.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects tensors and writes them as one safetensors file, in the order added. Float32 data may
 * be stored narrowed to F16 or BF16 (round to nearest even). The file appears atomically: it is
 * written next to the target and moved into place, so a reader never sees half a checkpoint.
 *
 * <pre>{@code
 * new SafetensorsWriter().metadata("format", "pt").add("w", array).write(dir.resolve("model.safetensors"));
 * }</pre>
 */
public final class SafetensorsWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Entry(SafetensorsDtype dtype, long[] shape, ByteBuffer data) {}

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();

  public SafetensorsWriter metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /** Adds an array in its own type (BF16 cannot be a DJL type, so it never is). */
  public SafetensorsWriter add(String name, NDArray array) {
    return add(name, array, SafetensorsDtype.of(array.getDataType()));
  }

  /**
   * Adds an array stored as {@code as}: a floating-point array may be narrowed to F16 or BF16;
   * other types must match.
   */
  public SafetensorsWriter add(String name, NDArray array, SafetensorsDtype as) {
    long[] shape = array.getShape().getShape();
    DataType type = array.getDataType();
    if (as == SafetensorsDtype.of(type)) {
      return put(name, as, shape, array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }
    if (!type.isFloating() || !as.isFloatingPoint()) {
      throw new IllegalArgumentException("tensor '" + name + "': cannot store " + type + " as " + as);
    }
    float[] values = type == DataType.FLOAT32 ? array.toFloatArray() : toFloat32(array);
    return add(name, values, shape, as);
  }

  private static float[] toFloat32(NDArray array) {
    try (NDArray f = array.toType(DataType.FLOAT32, true)) {
      return f.toFloatArray();
    }
  }

  /** Adds float32 values of the given shape, stored as F32, F16 or BF16. */
  public SafetensorsWriter add(String name, float[] values, long[] shape, SafetensorsDtype as) {
    long count = 1;
    for (long d : shape) {
      count = Math.multiplyExact(count, d);
    }
    if (count != values.length) {
      throw new IllegalArgumentException("tensor '" + name + "': " + values.length + " values do not fill shape "
          + java.util.Arrays.toString(shape));
    }
    ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(values.length, as.bytes())).order(ByteOrder.LITTLE_ENDIAN);
    switch (as) {
      case F32 -> data.asFloatBuffer().put(values);
      case F64 -> {
        for (float v : values) {
          data.putDouble(v);
        }
      }
      case F16 -> {
        for (float v : values) {
          data.putShort(HalfPrecision.floatToF16(v));
        }
      }
      case BF16 -> {
        for (float v : values) {
          data.putShort(HalfPrecision.floatToBf16(v));
        }
      }
      default -> throw new IllegalArgumentException("tensor '" + name + "': float values cannot be stored as " + as);
    }
    data.rewind();
    return put(name, as, shape, data);
  }

  /** Adds 64-bit integers (token ids, lengths) of the given shape. */
  public SafetensorsWriter add(String name, long[] values, long[] shape) {
    ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(values.length, 8)).order(ByteOrder.LITTLE_ENDIAN);
    data.asLongBuffer().put(values);
    return put(name, SafetensorsDtype.I64, shape, data);
  }

  private SafetensorsWriter put(String name, SafetensorsDtype dtype, long[] shape, ByteBuffer data) {
    if (name.equals(SafetensorsHeader.METADATA_KEY)) {
      throw new IllegalArgumentException("'" + name + "' is reserved for metadata");
    }
    if (entries.putIfAbsent(name, new Entry(dtype, shape.clone(), data)) != null) {
      throw new IllegalArgumentException("tensor '" + name + "' added twice");
    }
    return this;
  }

  /** Writes the file, replacing {@code file} atomically. */
  public void write(Path file) throws IOException {
    byte[] header = headerBytes();
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
    try {
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
        writeFully(out, length);
        writeFully(out, ByteBuffer.wrap(header));
        for (Entry e : entries.values()) {
          writeFully(out, e.data().duplicate());
        }
        out.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private byte[] headerBytes() {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      ObjectNode t = root.putObject(e.getKey());
      t.put("dtype", e.getValue().dtype().name());
      ArrayNode shape = t.putArray("shape");
      for (long d : e.getValue().shape()) {
        shape.add(d);
      }
      long end = offset + e.getValue().data().remaining();
      t.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
    // Pad with spaces to a multiple of 8 so that the data section is aligned, as the reference
    // writer does (aligned float32 data can be wrapped without copying).
    byte[] padded = java.util.Arrays.copyOf(json, (json.length + 7) / 8 * 8);
    java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
    return padded;
  }

  private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      out.write(b);
    }
  }
}
