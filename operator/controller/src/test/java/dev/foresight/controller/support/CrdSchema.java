package dev.foresight.controller.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks a manifest against the OpenAPI schema of a CRD the way the API server does for the rules
 * that matter to users: required fields, types, patterns, ranges, list sizes, and fields the schema
 * does not know (which a server would silently drop). CEL rules are left to the server.
 */
public final class CrdSchema {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JSONSchemaProps root;

  public CrdSchema(CustomResourceDefinition crd) {
    this.root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  /** Every violation in {@code manifest} (a whole resource), each as "path: problem". */
  public List<String> violations(JsonNode manifest) {
    List<String> problems = new ArrayList<>();
    for (String part : List.of("spec", "status")) {
      if (manifest.has(part)) {
        check(part, manifest.get(part), root.getProperties().get(part), problems);
      }
    }
    for (String required : root.getRequired() == null ? List.<String>of() : root.getRequired()) {
      if (!manifest.has(required)) {
        problems.add(required + ": is required");
      }
    }
    return problems;
  }

  private void check(String path, JsonNode value, JSONSchemaProps schema, List<String> problems) {
    if (schema == null) {
      problems.add(path + ": unknown field");
      return;
    }
    if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString()) || Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
      return;
    }
    String type = schema.getType();
    if (type != null && !hasType(value, type)) {
      problems.add(path + ": must be " + type + ", is " + value.getNodeType().name().toLowerCase());
      return;
    }
    if (value.isTextual() && schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(value.asText()).find()) {
      problems.add(path + ": '" + value.asText() + "' does not match " + schema.getPattern());
    }
    if (schema.getEnum() != null && !schema.getEnum().isEmpty()
        && schema.getEnum().stream().noneMatch(e -> JSON.valueToTree(e).equals(value))) {
      problems.add(path + ": '" + value.asText() + "' is not one of " + schema.getEnum());
    }
    if (value.isNumber()) {
      double x = value.asDouble();
      if (schema.getMinimum() != null && (x < schema.getMinimum()
          || Boolean.TRUE.equals(schema.getExclusiveMinimum()) && x == schema.getMinimum())) {
        problems.add(path + ": " + value + " is below the minimum " + schema.getMinimum());
      }
      if (schema.getMaximum() != null && (x > schema.getMaximum()
          || Boolean.TRUE.equals(schema.getExclusiveMaximum()) && x == schema.getMaximum())) {
        problems.add(path + ": " + value + " is above the maximum " + schema.getMaximum());
      }
    }
    if (value.isArray()) {
      if (schema.getMinItems() != null && value.size() < schema.getMinItems()) {
        problems.add(path + ": needs at least " + schema.getMinItems() + " items");
      }
      if (schema.getMaxItems() != null && value.size() > schema.getMaxItems()) {
        problems.add(path + ": has more than " + schema.getMaxItems() + " items");
      }
      for (int i = 0; i < value.size(); i++) {
        check(path + "[" + i + "]", value.get(i), schema.getItems() == null ? null : schema.getItems().getSchema(), problems);
      }
    }
    if (value.isObject()) {
      for (String required : schema.getRequired() == null ? List.<String>of() : schema.getRequired()) {
        if (!value.has(required)) {
          problems.add(path + "." + required + ": is required");
        }
      }
      Map<String, JSONSchemaProps> properties = schema.getProperties();
      for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        JSONSchemaProps child = properties != null && !properties.isEmpty() ? properties.get(field.getKey())
            : schema.getAdditionalProperties() != null ? schema.getAdditionalProperties().getSchema() : null;
        check(path + "." + field.getKey(), field.getValue(), child, problems);
      }
    }
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> true;
    };
  }
}
