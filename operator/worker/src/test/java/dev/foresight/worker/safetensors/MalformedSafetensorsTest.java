package dev.foresight.worker.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every way a header can be wrong gives a typed error naming the file, the tensor and the problem. */
class MalformedSafetensorsTest {

  @TempDir Path dir;

  private Path raw(String header, int dataBytes) throws IOException {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(json.length).put(json);
    Path file = dir.resolve("bad.safetensors");
    Files.write(file, b.array());
    return file;
  }

  private static SafetensorsFormatException rejects(Path file) {
    return assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(file).close());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      not JSON               | {"a": {"dtype": "F32",                            | 0  |      | not well-formed JSON
      not an object          | [1, 2]                                            | 0  |      | must be a JSON object
      duplicate tensor       | {"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}} | 2 | | Duplicate field 'a'
      entry not an object    | {"a": 3}                                          | 0  | a    | must be an object
      missing dtype          | {"a": {"shape": [1], "data_offsets": [0, 4]}}     | 4  | a    | missing or non-string 'dtype'
      unknown dtype          | {"a": {"dtype": "F8_E4M3", "shape": [1], "data_offsets": [0, 1]}} | 1 | a | unsupported dtype 'F8_E4M3'
      missing shape          | {"a": {"dtype": "F32", "data_offsets": [0, 4]}}   | 4  | a    | missing or non-array 'shape'
      negative dimension     | {"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}} | 4 | a | not a non-negative integer
      fractional dimension   | {"a": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}} | 4 | a | not a non-negative integer
      three offsets          | {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4, 8]}} | 8 | a | must have 2 entries
      reversed offsets       | {"a": {"dtype": "F32", "shape": [0], "data_offsets": [4, 0]}} | 4 | a | end before they begin
      past end of file       | {"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}} | 8 | a | reach past the end of the data section (8 bytes)
      shape/bytes mismatch   | {"a": {"dtype": "F16", "shape": [3], "data_offsets": [0, 8]}} | 8 | a | needs 6 bytes but data_offsets [0, 8] hold 8
      huge shape             | {"a": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 8]}} | 8 | a | too large
      overlap                | {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}} | 8 | b | overlap tensor 'a'
      gap before the first   | {"a": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}} | 8 | a | leave bytes [0, 4) of the data section covered by no tensor
      gap between tensors    | {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}} | 12 | b | leave bytes [4, 8) of the data section covered by no tensor (after tensor 'a')
      trailing bytes         | {"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}} | 9 |  | bytes [4, 9) of the 9-byte data section follow the last tensor
      data but no tensors    | {"__metadata__": {"step": "5"}}                   | 3  |      | bytes [0, 3) of the 3-byte data section follow the last tensor
      metadata not strings   | {"__metadata__": {"step": 5}}                     | 0  |      | value of 'step' must be a string
      metadata not an object | {"__metadata__": "x"}                             | 0  |      | __metadata__ must be an object
      """)
  void badHeaders(String name, String header, int dataBytes, String tensor, String problem) throws IOException {
    Path file = raw(header, dataBytes);
    SafetensorsFormatException e = rejects(file);
    assertEquals(file, e.file());
    assertEquals(Optional.ofNullable(tensor), e.tensor());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
  }

  @Test
  void tooShortForTheLength() throws IOException {
    Path file = dir.resolve("short.safetensors");
    Files.write(file, new byte[] {1, 2, 3});
    assertTrue(rejects(file).problem().contains("too short"));
  }

  @Test
  void headerLengthOverTheCap() throws IOException {
    Path file = dir.resolve("cap.safetensors");
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(SafetensorsFile.MAX_HEADER_BYTES + 1);
    Files.write(file, b.array());
    assertTrue(rejects(file).problem().contains("exceeds"));
    // An unsigned length with the top bit set (negative as a Java long) is over the cap too.
    Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).array());
    assertTrue(rejects(file).problem().contains("exceeds"));
  }

  @Test
  void headerLongerThanTheFile() throws IOException {
    Path file = dir.resolve("trunc.safetensors");
    Files.write(file, ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putLong(100).array());
    assertTrue(rejects(file).problem().contains("truncated"));
  }

  @Test
  void invalidUtf8() throws IOException {
    Path file = dir.resolve("utf.safetensors");
    byte[] json = {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'};
    Files.write(file, ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json).array());
    rejects(file);
  }

  @Test
  void truncatedCopyOfAGoodFile() throws IOException {
    Path good = dir.resolve("good.safetensors");
    new SafetensorsWriter().add("w", new float[16], new long[] {4, 4}, SafetensorsDtype.F32).write(good);
    byte[] bytes = Files.readAllBytes(good);
    Path cut = dir.resolve("cut.safetensors");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 1));
    SafetensorsFormatException e = rejects(cut);
    assertEquals(Optional.of("w"), e.tensor());
    assertTrue(e.problem().contains("truncated"));
  }

  @Test
  void emptyTensorsMayShareOffsets() throws IOException {
    Path file = raw("{\"a\": {\"dtype\": \"F32\", \"shape\": [0], \"data_offsets\": [0, 0]},"
        + " \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4);
    try (SafetensorsFile st = SafetensorsFile.open(file)) {
      assertEquals(2, st.tensors().size());
    }
  }

  @Test
  void missingFileIsNotAFormatError() {
    assertThrows(NoSuchFileException.class, () -> SafetensorsFile.open(dir.resolve("nope.safetensors")));
  }
}
