package dev.foresight.worker.labels.lmeval;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of a sample log, reduced to what a label needs.
 *
 * @param line from 1, for messages
 * @param docId lm-eval's {@code doc_id}, as text
 * @param filter the {@code filter} the line's metric was computed after (lm-eval writes one line per
 *     document and filter), or null in logs that do not name it
 * @param prompt the first request's prompt: {@code arguments.gen_args_0.arg_0}, or
 *     {@code arguments[0][0]} in the older layout
 * @param responses the first request's responses ({@code resps[0]}): one per repeat
 * @param score the metric's value, in [0, 1]: for several repeats lm-eval logs one value per
 *     document (the mean, for pass@1-style metrics)
 */
record LoggedSample(int line, String docId, String filter, String prompt, List<String> responses, double score) {

  /** The number of passing responses {@link #score} stands for; null when it is not a whole number. */
  Integer passes() {
    double passes = score * responses.size();
    long whole = Math.round(passes);
    return Math.abs(passes - whole) < 1e-6 ? (int) whole : null;
  }

  /** The start of the prompt, on one line, for messages. */
  String promptStart() {
    String flat = prompt.strip().replace("\n", "\\n");
    return "'" + (flat.length() > 40 ? flat.substring(0, 40) + "…" : flat) + "'";
  }

  /**
   * Reads one parsed line; adds to {@code problems} (prefixed with {@code at}) and returns null
   * when a field is missing or of the wrong kind.
   */
  static LoggedSample of(JsonNode node, int line, String metric, String at, List<String> problems) {
    int before = problems.size();
    String docId = docId(node.get("doc_id"), at, problems);
    String prompt = prompt(node.get("arguments"), at, problems);
    List<String> responses = responses(node.get("resps"), at, problems);
    Double score = score(node.get(metric), metric, at, problems);
    JsonNode filter = node.get("filter");
    if (problems.size() > before) {
      return null;
    }
    return new LoggedSample(line, docId, filter != null && filter.isTextual() ? filter.asText() : null, prompt,
        responses, score);
  }

  private static String docId(JsonNode v, String at, List<String> problems) {
    if (v != null && (v.isIntegralNumber() || v.isTextual())) {
      return v.asText();
    }
    problems.add(at + "'doc_id' is " + (v == null ? "missing" : "not an integer or a string: " + v));
    return null;
  }

  private static String prompt(JsonNode arguments, String at, List<String> problems) {
    JsonNode first = null;
    if (arguments != null && arguments.isObject()) {
      first = arguments.path("gen_args_0").get("arg_0");
    } else if (arguments != null && arguments.isArray()) {
      first = arguments.path(0).get(0);
    }
    if (first != null && first.isTextual()) {
      return first.asText();
    }
    problems.add(at + "'arguments' holds no prompt (expected {\"gen_args_0\": {\"arg_0\": <prompt>, …}}"
        + " or [[<prompt>, …]])");
    return null;
  }

  private static List<String> responses(JsonNode resps, String at, List<String> problems) {
    JsonNode first = resps == null ? null : resps.get(0);
    List<String> out = new ArrayList<>();
    if (first != null && first.isArray()) {
      first.forEach(r -> out.add(r.isTextual() ? r.asText() : r.toString()));
    } else if (first != null && first.isTextual()) {
      out.add(first.asText());
    }
    if (out.isEmpty()) {
      problems.add(at + "'resps' holds no responses (expected [[<response>, …]])");
    }
    return out;
  }

  private static Double score(JsonNode v, String metric, String at, List<String> problems) {
    if (v == null) {
      problems.add(at + "metric '" + metric + "' is missing (choose the field with --metric)");
      return null;
    }
    double score;
    if (v.isBoolean()) {
      score = v.asBoolean() ? 1 : 0;
    } else if (v.isNumber()) {
      score = v.asDouble();
    } else {
      problems.add(at + "metric '" + metric + "' is not a number: " + v);
      return null;
    }
    if (!(score >= 0 && score <= 1)) {
      problems.add(at + "metric '" + metric + "' is " + v + ", outside [0, 1]: not a pass rate");
      return null;
    }
    return score;
  }
}
