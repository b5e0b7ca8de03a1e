package dev.foresight.worker.labels.lmeval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.foresight.worker.WorkerException;
import dev.foresight.worker.tasks.BoundedLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One lm-evaluation-harness sample log: {@code samples_<task>_<timestamp>.jsonl}, one line per
 * logged document (and per filter), the task named by the file.
 */
public record SampleLog(Path file, String task) {

  /**
   * lm-eval names the file after the task and the run's ISO time with ':' replaced by '-'
   * ({@code samples_gsm8k_2024-05-13T14-02-33.123456.jsonl}); task names may hold '_' themselves,
   * so the time is what ends the name.
   */
  private static final Pattern NAME = Pattern.compile("samples_(.+)_(\\d{4}-\\d{2}-\\d{2}T[0-9.\\-]+)\\.jsonl");

  /**
   * The sample logs at {@code location}: the file itself, or every {@code samples_*.jsonl} under the
   * folder (lm-eval writes them into a sub-folder per model), in path order.
   *
   * @throws WorkerException (invalid arguments) for a missing path, a file not named as lm-eval names
   *     sample logs, or a folder without any
   */
  public static List<SampleLog> find(Path location) {
    if (Files.isRegularFile(location)) {
      SampleLog log = named(location);
      if (log == null) {
        throw WorkerException.invalidArguments("--samples-log " + location + ": not an lm-evaluation-harness sample log"
            + " (expected a name samples_<task>_<timestamp>.jsonl)");
      }
      return List.of(log);
    }
    if (!Files.isDirectory(location)) {
      throw WorkerException.invalidArguments("--samples-log " + location + " does not exist");
    }
    List<SampleLog> logs;
    try (Stream<Path> files = Files.walk(location)) {
      logs = files.filter(Files::isRegularFile).sorted().map(SampleLog::named).filter(l -> l != null).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + location, e);
    }
    if (logs.isEmpty()) {
      throw WorkerException.invalidArguments("--samples-log " + location
          + " holds no lm-evaluation-harness sample logs (samples_<task>_<timestamp>.jsonl)");
    }
    return logs;
  }

  /**
   * The longest line read, in bytes: 16 MiB. A line holds the dataset row, the few-shot prompt and
   * every repeat's response, so it is allowed more than a task file's line; a longer one is refused
   * while it streams past, never held.
   */
  public static final long MAX_LINE_BYTES = 16L << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Streams the log's lines to {@code sink}, each read with {@code metric} as its outcome; a line
   * that cannot be read (too long, not UTF-8, not JSON, a field missing or of the wrong kind) adds
   * a problem naming this file and the line instead.
   */
  void read(String metric, Consumer<LoggedSample> sink, List<String> problems) {
    try (BoundedLines lines = new BoundedLines(Files.newInputStream(file), MAX_LINE_BYTES)) {
      for (BoundedLines.Line line = lines.next(); line != null; line = lines.next()) {
        String at = file + ", line " + line.number() + ": ";
        if (line.problem() != null) {
          problems.add(at + line.problem());
        } else if (!line.text().isBlank()) {
          JsonNode node = parse(line.text(), at, problems);
          LoggedSample sample = node == null ? null : LoggedSample.of(node, line.number(), metric, at, problems);
          if (sample != null) {
            sink.accept(sample);
          }
        }
      }
    } catch (IOException e) {
      problems.add(file + ": cannot be read: " + e.getMessage());
    }
  }

  private static JsonNode parse(String text, String at, List<String> problems) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node.isObject()) {
        return node;
      }
      problems.add(at + "expected a JSON object");
    } catch (JsonProcessingException e) {
      problems.add(at + "malformed JSON: " + e.getOriginalMessage());
    }
    return null;
  }

  private static SampleLog named(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    return m.matches() ? new SampleLog(file, m.group(1)) : null;
  }
}
