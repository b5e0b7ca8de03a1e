package dev.foresight.controller.support;

import dev.foresight.api.scan.ReadyCheckpoint;
import dev.foresight.api.scan.ScanCodec;
import dev.foresight.api.scan.ScanReport;
import dev.foresight.api.v1alpha1.CheckpointPrefix;
import dev.foresight.api.v1alpha1.PendingCheckpoint;
import dev.foresight.api.worker.ScanCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a scan pod's {@code foresight scan} does with its arguments, run in the test's process over
 * a local folder standing for the prefix: the exit code and the termination message. The one place
 * that knows how the scan is made, so that the real scan command replaces this stand-in alone.
 */
public final class ScanPod {
  /** How the scan ended: its exit code and termination message. */
  public record Result(int exitCode, String message) {}

  private ScanPod() {}

  /**
   * @param args the scan Job's container arguments
   * @param root the local folder the prefix stands for
   */
  public static Result run(List<String> args, Path root) {
    Map<String, String> options = new TreeMap<>();
    for (int i = 1; i + 1 < args.size(); i += 2) {
      options.put(args.get(i), args.get(i + 1));
    }
    if (!Files.isDirectory(root)) {
      return new Result(3, "prefix " + options.get(ScanCommand.PREFIX) + " does not exist or is not a folder");
    }
    Pattern step = Pattern.compile(options.getOrDefault(ScanCommand.STEP_PATTERN, CheckpointPrefix.DEFAULT_STEP_PATTERN));
    String marker = options.get(ScanCommand.MARKER);
    long above = Long.parseLong(options.getOrDefault(ScanCommand.ABOVE, "-1"));
    long below = Long.parseLong(options.getOrDefault(ScanCommand.BELOW, Long.toString(Long.MAX_VALUE)));
    Map<Long, String> ready = new TreeMap<>(Comparator.reverseOrder());
    List<PendingCheckpoint> notReady = new ArrayList<>();
    try (Stream<Path> folders = Files.list(root)) {
      for (Path folder : folders.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
        String name = folder.getFileName().toString();
        Matcher m = step.matcher(name);
        if (!m.matches()) {
          continue;
        }
        long s = Long.parseLong(m.group(1));
        if (s <= above || s >= below) {
          continue;
        }
        if (marker != null && !Files.exists(folder.resolve(marker))) {
          notReady.add(new PendingCheckpoint(name, s, "no " + marker + " marker yet"));
        } else if (ready.containsKey(s)) {
          return new Result(2, "folders " + ready.get(s) + " and " + name + " both give step " + s);
        } else {
          ready.put(s, name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ScanReport report = new ScanReport();
    ready.forEach((s, name) -> report.getReady().add(new ReadyCheckpoint(s, name, null)));
    report.setReadyTotal(ready.size());
    report.setNewest(ready.isEmpty() ? null : ready.keySet().iterator().next());
    report.setNotReady(notReady);
    return new Result(0, ScanCodec.encode(report));
  }
}
