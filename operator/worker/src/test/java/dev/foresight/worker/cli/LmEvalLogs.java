package dev.foresight.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes sample logs as lm-evaluation-harness's {@code --log_samples} does: one JSON line per
 * document and filter with doc_id, doc, target, arguments, resps, filtered_resps, filter, metrics,
 * the hashes, and the metric's value; the file named samples_&lt;task&gt;_&lt;timestamp&gt;.jsonl.
 */
final class LmEvalLogs {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String STAMP = "2026-12-01T10-15-30.123456";

  private final List<String> lines = new ArrayList<>();

  /** One logged document with the current layout's arguments ({"gen_args_0": {"arg_0": prompt, "arg_1": kwargs}}). */
  LmEvalLogs doc(Object docId, String prompt, List<String> responses, String metric, Object value) {
    return line(docId, prompt, responses, metric, value, "none", false);
  }

  /** One logged document as lm-eval logs it. */
  LmEvalLogs line(Object docId, String prompt, List<String> responses, String metric, Object value, String filter,
      boolean olderLayout) {
    ObjectNode o = JSON.createObjectNode();
    o.putPOJO("doc_id", docId);
    o.putObject("doc").put("question", prompt).put("answer", "unused");
    o.put("target", "unused");
    ObjectNode kwargs = JSON.createObjectNode();
    kwargs.putArray("until").add("\n");
    kwargs.put("do_sample", responses.size() > 1).put("temperature", 0.8).put("max_gen_toks", 40);
    if (olderLayout) {
      ArrayNode request = o.putArray("arguments").addArray();
      request.add(prompt).add(kwargs);
    } else {
      o.putObject("arguments").putObject("gen_args_0").put("arg_0", prompt).set("arg_1", kwargs);
    }
    ArrayNode resps = o.putArray("resps").addArray();
    responses.forEach(resps::add);
    o.putArray("filtered_resps").add(responses.get(0));
    if (filter != null) {
      o.put("filter", filter);
    }
    o.putArray("metrics").add(metric);
    o.put("doc_hash", "d" + docId).put("prompt_hash", "p" + prompt.hashCode()).put("target_hash", "t");
    if (value != null) {
      o.putPOJO(metric, value);
    }
    lines.add(o.toString());
    return this;
  }

  /** A line as given (a torn or malformed one). */
  LmEvalLogs raw(String line) {
    lines.add(line);
    return this;
  }

  Path write(Path dir, String task) {
    return write(dir, task, STAMP);
  }

  Path write(Path dir, String task, String stamp) {
    Path file = dir.resolve("samples_" + task + "_" + stamp + ".jsonl");
    try {
      Files.createDirectories(dir);
      Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
