package dev.foresight.api.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads what a worker pod hands the controller (a termination message: at most
 * {@link TerminationMessage#MAX_BYTES}), trusting nothing: bounded size, the version first, every
 * value of its JSON type (no number sent as a string, no duplicate key).
 *
 * <p>Compatibility: {@code v} is the message's major version. Within one version a writer may add
 * fields, so a reader ignores fields it does not know and says which (a worker image newer than the
 * operator must not fail every evaluation); a newer {@code v} may change what known fields mean, so
 * it is refused, naming both versions. The range checks of each message are its codec's.
 */
public final class StrictJson {
  /** Also the writer's mapper, so that what is written reads back. */
  public static final ObjectMapper MAPPER = mapper();

  /** {@code value} as JSON with {@link #MAPPER}; a failure is a bug in the message class, named by {@code what}. */
  public static String write(Object value, String what) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + what, e);
    }
  }

  private StrictJson() {}

  private static ObjectMapper mapper() {
    JsonMapper mapper = JsonMapper.builder()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    // Jackson turns "0.4" into 0.4 and 5 into "5" by default: a worker that sends those is broken,
    // and its numbers are not to be guessed at. Each type takes its own JSON shape only (and a
    // fraction field a whole number).
    Map<LogicalType, Set<CoercionInputShape>> own = Map.of(
        LogicalType.Float, Set.of(CoercionInputShape.Float, CoercionInputShape.Integer),
        LogicalType.Integer, Set.of(CoercionInputShape.Integer),
        LogicalType.Boolean, Set.of(CoercionInputShape.Boolean),
        LogicalType.Textual, Set.of(CoercionInputShape.String));
    List<CoercionInputShape> scalars = List.of(CoercionInputShape.String, CoercionInputShape.Integer,
        CoercionInputShape.Float, CoercionInputShape.Boolean);
    own.forEach((type, accepted) -> scalars.forEach(shape -> mapper.coercionConfigFor(type)
        .setCoercion(shape, accepted.contains(shape) ? CoercionAction.TryConvert : CoercionAction.Fail)));
    return mapper;
  }

  /**
   * @param what the message's name in errors ("report", "scan report")
   * @param ignoredField told the path (e.g. {@code results[0].confidence}) of each field of this
   *     version that this reader does not know and skipped
   */
  public static <T> T read(String message, String what, int currentVersion, Class<T> type,
      Consumer<String> ignoredField) throws InvalidReportException {
    if (message == null || message.isBlank()) {
      throw new InvalidReportException(List.of("empty termination message"));
    }
    int bytes = TerminationMessage.utf8Length(message);
    if (bytes > TerminationMessage.MAX_BYTES) {
      throw new InvalidReportException(List.of(
          what + " is " + bytes + " bytes, over the " + TerminationMessage.MAX_BYTES + "-byte limit"));
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(message);
    } catch (JsonProcessingException e) {
      throw new InvalidReportException(List.of(malformed(e)));
    }
    if (tree == null || !tree.isObject()) {
      throw new InvalidReportException(List.of("the " + what + " is not a JSON object"));
    }
    checkVersion(tree.get("v"), what, currentVersion);
    List<String> unknown = new ArrayList<>();
    T value;
    try {
      value = MAPPER.readerFor(type).withHandler(new SkipUnknown(unknown)).readValue(tree);
    } catch (MismatchedInputException e) {
      JsonNode sent = tree.at(pointer(e.getPath()));
      throw new InvalidReportException(List.of(path(e.getPath()) + " must be " + expected(e.getTargetType())
          + (sent.isMissingNode() ? "" : ", not " + describe(sent))));
    } catch (IOException e) {
      throw new InvalidReportException(List.of(malformed(e)));
    }
    unknown.forEach(ignoredField);
    return value;
  }

  private static String malformed(IOException e) {
    if (e instanceof JsonProcessingException j) {
      return "malformed JSON: " + j.getOriginalMessage()
          + (j.getLocation() == null ? "" : " at column " + j.getLocation().getColumnNr());
    }
    return "malformed JSON: " + e.getMessage();
  }

  private static void checkVersion(JsonNode v, String what, int current) throws InvalidReportException {
    if (v == null || v.isNull()) {
      throw new InvalidReportException(List.of("v is missing: the " + what + "'s version comes first"));
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new InvalidReportException(List.of("v must be a whole number, not " + v));
    }
    int version = v.intValue();
    if (version > current) {
      throw new InvalidReportException(List.of("the worker wrote " + what + " version " + version + ", and this operator"
          + " reads version " + current + ": upgrade the operator, or run the worker image of the operator's release"));
    }
    if (version < current) {
      throw new InvalidReportException(List.of("v is " + version + ", expected " + current));
    }
  }

  /** Skips a field this version does not know and remembers where it was. */
  private static final class SkipUnknown extends DeserializationProblemHandler {
    private final List<String> seen;

    SkipUnknown(List<String> seen) {
      this.seen = seen;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext context, JsonParser p, JsonDeserializer<?> deserializer,
        Object bean, String property) throws IOException {
      // Past the field's name already when its value opens an object or array: its context is the parent's.
      JsonStreamContext at = p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY
          ? p.getParsingContext().getParent() : p.getParsingContext();
      seen.add(path(at));
      p.skipChildren();
      return true;
    }
  }

  /** {@code results[0].task}, from the parser's position. */
  private static String path(JsonStreamContext context) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      parts.addFirst(c.inArray() ? "[" + Math.max(0, c.getCurrentIndex()) + "]" : "." + c.getCurrentName());
    }
    return String.join("", parts).replaceFirst("^\\.", "");
  }

  /** {@code results[0].task}, from Jackson's reference chain. */
  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder at = new StringBuilder();
    for (JsonMappingException.Reference r : references) {
      if (r.getFieldName() != null) {
        at.append(at.length() == 0 ? "" : ".").append(r.getFieldName());
      } else {
        at.append('[').append(r.getIndex()).append(']');
      }
    }
    return at.length() == 0 ? "the message" : at.toString();
  }

  private static String expected(Class<?> type) {
    if (type == Double.class || type == double.class || type == Float.class) {
      return "a JSON number";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole JSON number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a JSON string";
    }
    return type != null && List.class.isAssignableFrom(type) ? "a JSON array" : "a JSON object";
  }

  private static String describe(JsonNode sent) {
    return switch (sent.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> sent.isIntegralNumber() ? "a whole number" : "a fractional number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> sent.getNodeType().name().toLowerCase();
    };
  }

  private static JsonPointer pointer(List<JsonMappingException.Reference> references) {
    JsonPointer pointer = JsonPointer.empty();
    for (JsonMappingException.Reference r : references) {
      pointer = r.getFieldName() != null ? pointer.appendProperty(r.getFieldName()) : pointer.appendIndex(r.getIndex());
    }
    return pointer;
  }
}
