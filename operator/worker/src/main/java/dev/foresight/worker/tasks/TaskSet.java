package dev.foresight.worker.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.foresight.api.v1alpha1.ProbeEvaluationSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A named prompt set read from {@code <name>.jsonl}, one JSON object per line:
 * <pre>{"id": "q1", "prompt": "12+39=", "answer": "51", "check": "number", "stop": ["\n"]}</pre>
 * Required: {@code id} (unique), {@code prompt} and {@code answer} (non-empty strings), {@code check}
 * ({@code exact|number|choice|regex|sum|sorted}); {@code pattern} is required for {@code regex}; {@code stop}
 * is optional. Other fields are ignored, so files from other tools can carry their metadata. Blank
 * lines are skipped; a line longer than {@link #MAX_LINE_BYTES} is refused.
 */
public record TaskSet(String name, List<TaskPrompt> prompts) {
  public static final String EXTENSION = ".jsonl";
  private static final Pattern NAME = Pattern.compile(ProbeEvaluationSpec.TASK_NAME_PATTERN);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The longest line a task file may have, in bytes: 1 MiB, some 250,000 tokens of English, past
   * the context of most models. Longer lines are refused while the file streams past, before
   * anything holds them whole or hands them to the native tokenizer.
   */
  public static final long MAX_LINE_BYTES = 1L << 20;

  public TaskSet {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("task name '" + name + "' must match " + NAME.pattern());
    }
    prompts = List.copyOf(prompts);
  }

  public int size() { return prompts.size(); }

  /**
   * Reads and validates a task file; the task is named after the file ({@code gsm8k.jsonl} →
   * {@code gsm8k}).
   *
   * @throws TaskFileException listing every bad line (duplicate id, empty prompt, unknown check,
   *     bad regex, gold answer the check cannot use, malformed JSON, a line over
   *     {@link #MAX_LINE_BYTES}, bytes that are not UTF-8)
   */
  public static TaskSet read(Path file) {
    String fileName = file.getFileName().toString();
    if (!fileName.endsWith(EXTENSION)) {
      throw new TaskFileException(file, List.of("a task file's name must end with " + EXTENSION));
    }
    String name = fileName.substring(0, fileName.length() - EXTENSION.length());
    if (!NAME.matcher(name).matches()) {
      throw new TaskFileException(file, List.of("'" + name + "' is not a valid task name (lowercase letters,"
          + " digits, '-', '_' and '.', at most 63 characters)"));
    }
    List<String> problems = new ArrayList<>();
    List<TaskPrompt> prompts = new ArrayList<>();
    Map<String, Integer> lineOfId = new HashMap<>();
    try (BoundedLines lines = new BoundedLines(Files.newInputStream(file), MAX_LINE_BYTES)) {
      for (BoundedLines.Line line = lines.next(); line != null; line = lines.next()) {
        String at = "line " + line.number() + ": ";
        if (line.problem() != null) {
          problems.add(at + line.problem());
          continue;
        }
        if (line.text().isBlank()) {
          continue;
        }
        TaskPrompt p = parseLine(line.text(), at, problems);
        if (p == null) {
          continue;
        }
        Integer first = lineOfId.putIfAbsent(p.id(), line.number());
        if (first != null) {
          problems.add(at + "duplicate id '" + p.id() + "' (first on line " + first + ")");
        } else {
          prompts.add(p);
        }
      }
    } catch (IOException e) {
      throw new TaskFileException(file, List.of("cannot be read: " + e));
    }
    if (problems.isEmpty() && prompts.isEmpty()) {
      problems.add("has no prompts");
    }
    if (!problems.isEmpty()) {
      throw new TaskFileException(file, problems);
    }
    return new TaskSet(name, prompts);
  }

  private static TaskPrompt parseLine(String line, String at, List<String> problems) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      problems.add(at + "malformed JSON: " + e.getOriginalMessage());
      return null;
    }
    if (!(node instanceof ObjectNode)) {
      problems.add(at + "expected a JSON object");
      return null;
    }
    int before = problems.size();
    String id = requiredText(node, "id", at, problems);
    String prompt = requiredText(node, "prompt", at, problems);
    String answer = requiredText(node, "answer", at, problems);
    String checkName = requiredText(node, "check", at, problems);
    CheckKind kind = null;
    if (checkName != null) {
      kind = CheckKind.fromWireName(checkName);
      if (kind == null) {
        problems.add(at + "unknown check '" + checkName + "' (expected one of " + CheckKind.expected() + ")");
      }
    }
    String pattern = null;
    if (kind == CheckKind.REGEX) {
      pattern = requiredText(node, "pattern", at, problems);
      if (pattern != null) {
        try {
          Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
          problems.add(at + "bad regex in 'pattern': " + e.getDescription() + " near index " + e.getIndex());
        }
      }
    }
    List<String> stop = stopStrings(node, at, problems);
    if (problems.size() > before) {
      return null;
    }
    TaskPrompt p = new TaskPrompt(id, prompt, answer, kind, pattern, stop);
    try {
      p.check();
    } catch (IllegalArgumentException e) {
      problems.add(at + e.getMessage() + " (check '" + checkName + "')");
      return null;
    }
    return p;
  }

  private static String requiredText(JsonNode node, String field, String at, List<String> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      problems.add(at + "'" + field + "' is missing");
      return null;
    }
    if (!v.isTextual()) {
      problems.add(at + "'" + field + "' must be a string");
      return null;
    }
    if (v.asText().isBlank()) {
      problems.add(at + "'" + field + "' is empty");
      return null;
    }
    return v.asText();
  }

  private static List<String> stopStrings(JsonNode node, String at, List<String> problems) {
    JsonNode v = node.get("stop");
    if (v == null || v.isNull()) {
      return List.of();
    }
    List<String> stop = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(s -> {
        if (s.isTextual() && !s.asText().isEmpty()) {
          stop.add(s.asText());
        }
      });
      if (stop.size() == v.size()) {
        return stop;
      }
    }
    problems.add(at + "'stop' must be a list of non-empty strings");
    return List.of();
  }

  /** Writes this set as {@code dir/<name>.jsonl}, in the canonical form {@link #read} accepts. */
  public Path write(Path dir) {
    Path file = dir.resolve(name + EXTENSION);
    try {
      Files.createDirectories(dir);
      try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (TaskPrompt p : prompts) {
          w.write(JSON.writeValueAsString(canonical(p)));
          w.write('\n');
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  private static ObjectNode canonical(TaskPrompt p) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", p.id());
    o.put("prompt", p.prompt());
    o.put("answer", p.answer());
    o.put("check", p.checkKind().wireName());
    if (p.pattern() != null) {
      o.put("pattern", p.pattern());
    }
    if (!p.stop().isEmpty()) {
      ArrayNode stop = o.putArray("stop");
      p.stop().forEach(stop::add);
    }
    return o;
  }

  /**
   * A fingerprint of what the probe was trained to judge: SHA-256 over every prompt's id, prompt,
   * answer, check, pattern and stop strings, in id order (so reordering a file keeps it; changing
   * any prompt or answer does not). Fields a task file may carry beyond these do not count.
   */
  public String promptSetHash() {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<TaskPrompt> sorted = new ArrayList<>(prompts);
    sorted.sort(Comparator.comparing(TaskPrompt::id));
    for (TaskPrompt p : sorted) {
      try {
        sha.update(JSON.writeValueAsBytes(canonical(p)));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
      sha.update((byte) '\n');
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }
}
