package dev.foresight.worker.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

  private static NDManager manager;

  @TempDir Path dir;

  @BeforeAll
  static void engine() { manager = NDManager.newBaseManager(); }

  @AfterAll
  static void close() { manager.close(); }

  private static final float[] VALUES = {0f, 1f, -2.5f, 3.14159f, 1e-3f, -65504f, 1e-7f, 1000.125f};

  @Test
  void everyDtypeSurvivesAWriteAndARead() throws Exception {
    Path file = dir.resolve("all.safetensors");
    NDArray f32 = manager.create(VALUES, new ai.djl.ndarray.types.Shape(2, 4));
    new SafetensorsWriter()
        .metadata("format", "pt")
        .metadata("note", "ünïcode")
        .add("f32", f32)
        .add("f16", f32, SafetensorsDtype.F16)
        .add("bf16", f32, SafetensorsDtype.BF16)
        .add("f64", f32.toType(DataType.FLOAT64, false))
        .add("i64", new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, new long[] {4})
        .add("i32", manager.create(new int[] {Integer.MIN_VALUE, -7, 7, Integer.MAX_VALUE}))
        .add("i8", manager.create(new byte[] {-128, -1, 0, 127}))
        .add("u8", manager.create(new byte[] {0, 1, (byte) 200, (byte) 255}).toType(DataType.UINT8, false))
        .add("bool", manager.create(new boolean[] {true, false, false, true}))
        .add("scalar", manager.create(42f))
        .add("empty", new float[0], new long[] {0, 3}, SafetensorsDtype.F32)
        .write(file);

    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertEquals(Map.of("format", "pt", "note", "ünïcode"), st.metadata());
      assertEquals(11, st.tensors().size());
      assertArrayEquals(VALUES, st.load("f32", manager).toFloatArray());
      assertArrayEquals(new long[] {2, 4}, st.info("f32").shape());

      float[] halves = st.readFloats("f16");
      float[] bfloats = st.readFloats("bf16");
      for (int i = 0; i < VALUES.length; i++) {
        assertEquals(HalfPrecision.f16ToFloat(HalfPrecision.floatToF16(VALUES[i])), halves[i]);
        assertEquals(HalfPrecision.bf16ToFloat(HalfPrecision.floatToBf16(VALUES[i])), bfloats[i]);
        assertEquals(VALUES[i], bfloats[i], Math.abs(VALUES[i]) / 128); // 8 significant bits
      }
      NDArray f16 = st.load("f16", manager);
      assertEquals(DataType.FLOAT16, f16.getDataType());
      assertArrayEquals(halves, f16.toType(DataType.FLOAT32, false).toFloatArray());
      NDArray bf16 = st.load("bf16", manager);
      assertEquals(DataType.FLOAT32, bf16.getDataType(), "bf16 is widened: DJL cannot hold it");
      assertArrayEquals(bfloats, bf16.toFloatArray());

      assertArrayEquals(VALUES, st.readFloats("f64"));
      assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE}, st.load("i64", manager).toLongArray());
      assertArrayEquals(new int[] {Integer.MIN_VALUE, -7, 7, Integer.MAX_VALUE}, st.load("i32", manager).toIntArray());
      assertArrayEquals(new byte[] {-128, -1, 0, 127}, st.load("i8", manager).toByteArray());
      NDArray u8 = st.load("u8", manager);
      assertEquals(DataType.UINT8, u8.getDataType());
      assertArrayEquals(new int[] {0, 1, 200, 255}, u8.toType(DataType.INT32, false).toIntArray());
      assertArrayEquals(new boolean[] {true, false, false, true}, st.load("bool", manager).toBooleanArray());
      assertEquals(42f, st.load("scalar", manager).getFloat());
      assertEquals(0, st.load("empty", manager).size());
    }
  }

  @Test
  void headerIsPaddedSoThatDataIsAligned() throws Exception {
    Path file = dir.resolve("a.safetensors");
    new SafetensorsWriter().add("x", new float[] {1}, new long[] {1}, SafetensorsDtype.F32).write(file);
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0, b.getLong(0) % 8);
  }

  @Test
  void loadedArraysOutliveTheFile() throws Exception {
    Path file = dir.resolve("gone.safetensors");
    new SafetensorsWriter().add("x", VALUES, new long[] {8}, SafetensorsDtype.F32).write(file);
    NDArray x;
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      x = st.load("x", manager);
    }
    // Overwrite the bytes in place: a zero-copy view of the map would change with them.
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(raf.length() - 4);
      raf.writeInt(0x7f7f7f7f);
    }
    assertArrayEquals(VALUES, x.toFloatArray());
  }

  @Test
  void readsTensorsBeyondTwoGigabytes() throws Exception {
    // A sparse file: 3 GiB of zeros, then a tensor whose offsets do not fit in an int.
    Path file = dir.resolve("big.safetensors");
    long gap = 3L << 30;
    String header = "{\"gap\":{\"dtype\":\"U8\",\"shape\":[" + gap + "],\"data_offsets\":[0," + gap + "]},"
        + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + gap + "," + (gap + 8) + "]}}";
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, json.length);
      raf.write(len.array());
      raf.write(json);
      raf.seek(8 + json.length + gap);
      ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, 1.5f).putFloat(4, -2f);
      raf.write(tail.array());
    }
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertArrayEquals(new float[] {1.5f, -2f}, st.load("tail", manager).toFloatArray());
      assertArrayEquals(new float[] {1.5f, -2f}, st.readFloats("tail"));
      assertEquals(gap, st.info("gap").byteLength());
    }
  }

  @Test
  void tensorsLargerThanOneMappingLoadInRowBlocks() throws Exception {
    Path file = dir.resolve("blocks.safetensors");
    float[] values = new float[7 * 5];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 0.5f - 3;
    }
    new SafetensorsWriter()
        .add("w", values, new long[] {7, 5}, SafetensorsDtype.F32)
        .add("b", values, new long[] {7, 5}, SafetensorsDtype.BF16)
        .write(file);
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      st.mappingLimitForTests(3 * 5 * 4); // three rows of float32 per block: blocks of 3, 3, 1
      NDArray w = st.load("w", manager);
      assertArrayEquals(new long[] {7, 5}, w.getShape().getShape());
      assertArrayEquals(values, w.toFloatArray());
      assertArrayEquals(values, st.load("b", manager).toFloatArray()); // exact in bf16
    }
  }

  @Test
  void bf16IsSplitByItsWidenedSizeAndVectorsSplitToo() throws Exception {
    // A bf16 tensor that fits one buffer in the file but not once widened to float32 (a 7B model's
    // 1.1 GB bf16 embedding becomes 2.2 GB), and a vector longer than one buffer.
    Path file = dir.resolve("widened.safetensors");
    float[] values = new float[4 * 5];
    for (int i = 0; i < values.length; i++) {
      values[i] = i - 8;
    }
    new SafetensorsWriter()
        .add("b", values, new long[] {4, 5}, SafetensorsDtype.BF16)
        .add("v", values, new long[] {20}, SafetensorsDtype.F32)
        .write(file);
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      st.mappingLimitForTests(60); // 40 bytes of bf16 fit, their 80 bytes of float32 do not
      NDArray b = st.load("b", manager);
      assertArrayEquals(new long[] {4, 5}, b.getShape().getShape());
      assertArrayEquals(values, b.toFloatArray());
      NDArray v = st.load("v", manager);
      assertArrayEquals(new long[] {20}, v.getShape().getShape());
      assertArrayEquals(values, v.toFloatArray());
    }
  }
}
