package dev.foresight.worker.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * One safetensors file, opened over a memory map: opening reads and checks only the header;
 * tensor bytes are paged in when a tensor is loaded. Files and tensors beyond 2 GB are fine (each
 * tensor is mapped on its own, and a tensor larger than one mapping is loaded in row blocks).
 *
 * <p>Format: an 8-byte little-endian header length N, N bytes of JSON
 * {@code {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}}, then
 * the data section, offsets relative to its start.
 */
public final class SafetensorsFile implements AutoCloseable {

  /** The same cap the reference implementation uses: a header is small, a huge one is an attack. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** The most bytes one mapping (a Java buffer) can span. */
  static final long MAX_MAPPING_BYTES = Integer.MAX_VALUE;

  private final Path path;
  private final FileChannel channel;
  private final byte[] headerJson;
  private final long dataStart;
  private final SafetensorsHeader header;
  private final Map<String, TensorInfo> byName;
  private long mappingLimit = MAX_MAPPING_BYTES;

  private SafetensorsFile(Path path, FileChannel channel, byte[] headerJson, SafetensorsHeader header) {
    this.path = path;
    this.channel = channel;
    this.headerJson = headerJson;
    this.dataStart = 8L + headerJson.length;
    this.header = header;
    this.byName = new LinkedHashMap<>();
    for (TensorInfo t : header.tensors()) {
      byName.put(t.name(), t);
    }
  }

  /**
   * Opens {@code file} and checks its header.
   *
   * @throws NoSuchFileException if it does not exist
   * @throws SafetensorsFormatException if it is not a well-formed safetensors file
   */
  public static SafetensorsFile open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      long size = channel.size();
      if (size < 8) {
        throw new SafetensorsFormatException(file, null, "file is " + size + " bytes, too short for the 8-byte header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.getLong(0);
      if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
        throw new SafetensorsFormatException(file, null, "header length " + Long.toUnsignedString(headerLength)
            + " exceeds the " + MAX_HEADER_BYTES + "-byte cap: not a safetensors file?");
      }
      if (8 + headerLength > size) {
        throw new SafetensorsFormatException(file, null, "header length " + headerLength
            + " reaches past the end of the " + size + "-byte file: is the file truncated?");
      }
      ByteBuffer json = ByteBuffer.allocate((int) headerLength);
      readFully(channel, json, 8);
      byte[] headerJson = json.array();
      SafetensorsHeader header = SafetensorsHeader.parse(file, headerJson, size - 8 - headerLength);
      return new SafetensorsFile(file, channel, headerJson, header);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
    while (dst.hasRemaining()) {
      int n = channel.read(dst, position + dst.position());
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
    }
  }

  public Path path() { return path; }

  /** The tensors in the order of their bytes in the file. */
  public List<TensorInfo> tensors() { return header.tensors(); }

  /** The {@code __metadata__} map (empty when the file has none). */
  public Map<String, String> metadata() { return header.metadata(); }

  /** The raw JSON header, for fingerprints. */
  public byte[] headerJson() { return headerJson.clone(); }

  public Optional<TensorInfo> find(String name) { return Optional.ofNullable(byName.get(name)); }

  public TensorInfo info(String name) {
    TensorInfo t = byName.get(name);
    if (t == null) {
      throw new NoSuchElementException(path + " has no tensor '" + name + "'");
    }
    return t;
  }

  /**
   * The tensor's bytes as a read-only little-endian view of the memory map.
   *
   * @throws IllegalStateException for a tensor over 2 GB, which no single buffer can hold
   */
  public ByteBuffer bytes(TensorInfo tensor) throws IOException {
    if (tensor.byteLength() > mappingLimit) {
      throw new IllegalStateException(tensor.name() + " is " + tensor.byteLength() + " bytes: too large for one buffer");
    }
    return map(tensor.begin(), tensor.byteLength());
  }

  private ByteBuffer map(long begin, long length) throws IOException {
    return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, length).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Loads a tensor into memory owned by {@code manager} (on its device), as
   * {@link SafetensorsDtype#loadedAs()}: BF16 is widened to float32, every other dtype kept. The
   * result does not depend on the file staying open or unchanged.
   */
  public NDArray load(String name, NDManager manager) throws IOException {
    return load(name, manager, false);
  }

  /**
   * As {@link #load(String, NDManager)}, but with {@code holdBfloat16} a BF16 tensor keeps its
   * bytes and becomes a {@link DataType#BFLOAT16} array, copied from the map to the device with no
   * widening. Only for a JNI library that maps bfloat16 (DJL 0.36's aborts the JVM on it).
   */
  public NDArray load(String name, NDManager manager, boolean holdBfloat16) throws IOException {
    TensorInfo t = info(name);
    Shape shape = new Shape(t.shape());
    if (blockBytes(t, t.byteLength()) <= mappingLimit) {
      return loadBlock(t, t.begin(), t.byteLength(), shape, manager, holdBfloat16);
    }
    // Larger than one buffer (in the file, or once widened): load blocks of whole rows and join them.
    long[] dims = t.shape();
    long rowBytes = t.byteLength() / dims[0];
    if (blockBytes(t, rowBytes) > mappingLimit) {
      throw new SafetensorsFormatException(path, name, "a single row of " + rowBytes + " bytes is too large to load");
    }
    long rowsPerBlock = mappingLimit / blockBytes(t, rowBytes);
    NDList blocks = new NDList();
    try (NDManager scratch = manager.newSubManager()) {
      for (long row = 0; row < dims[0]; row += rowsPerBlock) {
        long rows = Math.min(rowsPerBlock, dims[0] - row);
        long[] blockDims = dims.clone();
        blockDims[0] = rows;
        blocks.add(loadBlock(t, t.begin() + row * rowBytes, rows * rowBytes, new Shape(blockDims), scratch, holdBfloat16));
      }
      NDArray joined = NDArrays.concat(blocks, 0);
      joined.attach(manager);
      return joined;
    }
  }

  /**
   * The larger of a block's bytes in the file and once loaded: a BF16 block doubles when widened
   * to float32, and both the mapping and the widened copy must fit one Java buffer.
   */
  private static long blockBytes(TensorInfo t, long fileBytes) {
    return Math.max(fileBytes, fileBytes / t.dtype().bytes() * t.dtype().loadedAs().getNumOfBytes());
  }

  private NDArray loadBlock(TensorInfo t, long begin, long length, Shape shape, NDManager manager, boolean holdBfloat16)
      throws IOException {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException("safetensors data is little-endian; this machine is not");
    }
    if (blockBytes(t, length) > mappingLimit) {
      throw new IllegalStateException(t.name() + ": a block of " + blockBytes(t, length) + " bytes exceeds one buffer");
    }
    ByteBuffer mapped = map(begin, length);
    boolean raw16 = holdBfloat16 && t.dtype() == SafetensorsDtype.BF16;
    DataType type = raw16 ? DataType.BFLOAT16 : t.dtype().loadedAs();
    if (t.dtype() == SafetensorsDtype.BF16 && !raw16) {
      ByteBuffer widened = HalfPrecision.widenBf16(mapped, (int) (length / 2));
      release(mapped);
      if (!manager.getDevice().isGpu()) {
        // Fresh memory nothing else sees: the engine wraps it without copying, the array keeps it.
        return manager.create(widened, shape, type);
      }
      try {
        return manager.create(widened, shape, type); // copied to the device
      } finally {
        release(widened); // transient: a 7B checkpoint's would pile up by the gigabyte before a GC
      }
    }
    try {
      if (manager.getDevice().isGpu()) {
        return manager.create(mapped, shape, type); // copied to the device
      }
      // The engine would wrap the map itself: copy once into memory the engine owns, so that the
      // array never reads through the map (a file truncated later would crash the JVM).
      try (NDArray view = manager.create(mapped, shape, type)) {
        return view.duplicate();
      }
    } finally {
      release(mapped); // read by now; unmapped at once rather than at the next garbage collection
    }
  }

  /** Frees a direct or mapped buffer at once instead of at the next garbage collection. */
  private static void release(ByteBuffer buffer) {
    try {
      INVOKE_CLEANER.invoke(buffer);
    } catch (Throwable e) {
      throw new IllegalStateException("cannot release a direct buffer", e);
    }
  }

  /** {@code sun.misc.Unsafe.invokeCleaner}, looked up once (jdk.unsupported, there since Java 9). */
  private static final java.lang.invoke.MethodHandle INVOKE_CLEANER = invokeCleaner();

  private static java.lang.invoke.MethodHandle invokeCleaner() {
    try {
      Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      java.lang.reflect.Field f = unsafeClass.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return java.lang.invoke.MethodHandles.lookup()
          .findVirtual(unsafeClass, "invokeCleaner", java.lang.invoke.MethodType.methodType(void.class, ByteBuffer.class))
          .bindTo(f.get(null));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A floating-point tensor's values as float32, without an engine (probe weights, features, tests). */
  public float[] readFloats(String name) throws IOException {
    TensorInfo t = info(name);
    if (!t.dtype().isFloatingPoint()) {
      throw new IllegalArgumentException(path + ": tensor '" + name + "' is " + t.dtype() + ", not floating point");
    }
    ByteBuffer b = bytes(t);
    int n = Math.toIntExact(t.elementCount());
    float[] out = new float[n];
    switch (t.dtype()) {
      case F32 -> b.asFloatBuffer().get(out);
      case F64 -> {
        for (int i = 0; i < n; i++) {
          out[i] = (float) b.getDouble(i * 8);
        }
      }
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = HalfPrecision.f16ToFloat(b.getShort(i * 2));
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[i] = HalfPrecision.bf16ToFloat(b.getShort(i * 2));
        }
      }
      default -> throw new AssertionError(t.dtype());
    }
    return out;
  }

  /** Lowers the mapping limit, so that tests can exercise block loading without 2 GB tensors. */
  void mappingLimitForTests(long bytes) { this.mappingLimit = bytes; }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
