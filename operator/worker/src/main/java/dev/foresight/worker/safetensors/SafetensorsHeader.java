package dev.foresight.worker.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and checked JSON header of a safetensors file. Every check here exists because a
 * wrong header would otherwise turn into a read outside the file (a JVM crash through a mapped
 * buffer) or silently wrong weights.
 */
record SafetensorsHeader(List<TensorInfo> tensors, Map<String, String> metadata) {

  static final String METADATA_KEY = "__metadata__";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /**
   * Parses {@code json} for a data section of {@code dataLength} bytes.
   *
   * @throws SafetensorsFormatException naming the tensor and the problem
   */
  static SafetensorsHeader parse(Path file, byte[] json, long dataLength) throws SafetensorsFormatException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SafetensorsFormatException(file, null, "header is not well-formed JSON: " + e.getOriginalMessage(), e);
    } catch (java.io.IOException e) {
      throw new SafetensorsFormatException(file, null, "header cannot be read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new SafetensorsFormatException(file, null, "header must be a JSON object");
    }
    Map<String, String> metadata = Map.of();
    List<TensorInfo> tensors = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (field.getKey().equals(METADATA_KEY)) {
        metadata = parseMetadata(file, field.getValue());
      } else {
        tensors.add(parseTensor(file, field.getKey(), field.getValue(), dataLength));
      }
    }
    tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    checkCoverage(file, tensors, dataLength);
    return new SafetensorsHeader(Collections.unmodifiableList(tensors), metadata);
  }

  private static Map<String, String> parseMetadata(Path file, JsonNode node) throws SafetensorsFormatException {
    if (!node.isObject()) {
      throw new SafetensorsFormatException(file, null, METADATA_KEY + " must be an object of strings");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isTextual()) {
        throw new SafetensorsFormatException(file, null,
            METADATA_KEY + " value of '" + e.getKey() + "' must be a string, found " + e.getValue().getNodeType());
      }
      metadata.put(e.getKey(), e.getValue().textValue());
    }
    return Collections.unmodifiableMap(metadata);
  }

  private static TensorInfo parseTensor(Path file, String name, JsonNode node, long dataLength)
      throws SafetensorsFormatException {
    if (!node.isObject()) {
      throw new SafetensorsFormatException(file, name, "entry must be an object with dtype, shape and data_offsets");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw new SafetensorsFormatException(file, name, "missing or non-string 'dtype'");
    }
    SafetensorsDtype dtype = SafetensorsDtype.fromHeader(dtypeNode.textValue())
        .orElseThrow(() -> new SafetensorsFormatException(file, name,
            "unsupported dtype '" + dtypeNode.textValue() + "' (supported: "
                + java.util.Arrays.toString(SafetensorsDtype.values()) + ")"));
    long[] shape = nonNegativeLongs(file, name, node.get("shape"), "shape", -1);
    long[] offsets = nonNegativeLongs(file, name, node.get("data_offsets"), "data_offsets", 2);
    long begin = offsets[0];
    long end = offsets[1];
    if (begin > end) {
      throw new SafetensorsFormatException(file, name, "data_offsets [" + begin + ", " + end + "] end before they begin");
    }
    if (end > dataLength) {
      throw new SafetensorsFormatException(file, name, "data_offsets [" + begin + ", " + end
          + "] reach past the end of the data section (" + dataLength + " bytes): is the file truncated?");
    }
    long expected;
    try {
      long elements = 1;
      for (long d : shape) {
        elements = Math.multiplyExact(elements, d);
      }
      expected = Math.multiplyExact(elements, dtype.bytes());
    } catch (ArithmeticException e) {
      throw new SafetensorsFormatException(file, name, "shape " + java.util.Arrays.toString(shape) + " is too large");
    }
    if (expected != end - begin) {
      throw new SafetensorsFormatException(file, name, "shape " + java.util.Arrays.toString(shape) + " of " + dtype
          + " needs " + expected + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
    }
    return new TensorInfo(name, dtype, shape, begin, end);
  }

  private static long[] nonNegativeLongs(Path file, String tensor, JsonNode node, String field, int length)
      throws SafetensorsFormatException {
    if (node == null || !node.isArray()) {
      throw new SafetensorsFormatException(file, tensor, "missing or non-array '" + field + "'");
    }
    if (length >= 0 && node.size() != length) {
      throw new SafetensorsFormatException(file, tensor, "'" + field + "' must have " + length + " entries, has " + node.size());
    }
    long[] values = new long[node.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode v = node.get(i);
      if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
        throw new SafetensorsFormatException(file, tensor, "'" + field + "' entry " + v + " is not a non-negative integer");
      }
      values[i] = v.longValue();
    }
    return values;
  }

  /**
   * The format requires the tensors to cover the data section exactly, back to back. A gap or
   * trailing bytes mean the header does not describe the file (a botched concatenation, a header
   * from another file, or data smuggled past every reader), so they are refused like an overlap.
   */
  private static void checkCoverage(Path file, List<TensorInfo> sorted, long dataLength)
      throws SafetensorsFormatException {
    TensorInfo previous = null;
    long covered = 0;
    for (TensorInfo t : sorted) {
      if (t.byteLength() == 0) {
        continue; // empty tensors own no bytes and may share an offset with anything
      }
      if (t.begin() < covered) {
        throw new SafetensorsFormatException(file, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
            + "] overlap tensor '" + previous.name() + "' [" + previous.begin() + ", " + previous.end() + "]");
      }
      if (t.begin() > covered) {
        throw new SafetensorsFormatException(file, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
            + "] leave bytes [" + covered + ", " + t.begin() + ") of the data section covered by no tensor"
            + (previous == null ? "" : " (after tensor '" + previous.name() + "')"));
      }
      previous = t;
      covered = t.end();
    }
    if (covered != dataLength) {
      throw new SafetensorsFormatException(file, null, "bytes [" + covered + ", " + dataLength
          + ") of the " + dataLength + "-byte data section follow the last tensor and belong to none:"
          + " trailing bytes are not allowed");
    }
  }
}
