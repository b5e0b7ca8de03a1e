package dev.foresight.worker.safetensors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code model.safetensors.index.json}: which shard holds each tensor. Read here apart from the
 * weights, so that a scan can tell whether a folder is complete without the tensor runtime.
 */
public final class SafetensorsIndex {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private SafetensorsIndex() {}

  public static Map<String, String> read(Path index) throws IOException {
    return weightMap(Files.readAllBytes(index), index);
  }

  /**
   * The {@code weight_map}, tensor name → shard file name, in the file's order.
   *
   * @param source the index's name or path, for the message
   * @throws SafetensorsFormatException when it is not JSON, lacks the map, or names a shard outside its folder
   */
  public static Map<String, String> weightMap(byte[] json, Path source) throws SafetensorsFormatException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SafetensorsFormatException(source, null, "not well-formed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new SafetensorsFormatException(source, null, e.toString(), e);
    }
    JsonNode map = root == null ? null : root.get("weight_map");
    if (map == null || !map.isObject()) {
      throw new SafetensorsFormatException(source, null, "missing 'weight_map' object");
    }
    Map<String, String> weightMap = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : map.properties()) {
      String shard = e.getValue().isTextual() ? e.getValue().textValue() : null;
      if (shard == null || shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.equals("..")) {
        throw new SafetensorsFormatException(source, e.getKey(),
            "weight_map entry " + e.getValue() + " must be the plain file name of a shard in the same directory");
      }
      weightMap.put(e.getKey(), shard);
    }
    return weightMap;
  }
}
