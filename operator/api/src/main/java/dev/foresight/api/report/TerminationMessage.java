package dev.foresight.api.report;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Kubernetes keeps at most 4096 bytes of a container's termination message. */
public final class TerminationMessage {
  public static final int MAX_BYTES = 4096;
  /** Terminal escape sequences: CSI (colours, cursor moves), OSC (titles, links), and two-byte ones. */
  private static final Pattern ESCAPES = Pattern.compile(
      "\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|\u001B.?");

  private TerminationMessage() {}

  public static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Whether {@code message} fits what Kubernetes keeps ({@link #MAX_BYTES}, in UTF-8). */
  public static boolean fits(String message) {
    return utf8Length(message) <= MAX_BYTES;
  }

  /**
   * A worker's own words made safe to show in status, Events and the operator's log: escape
   * sequences removed whole (a bare ESC removed would leave "[31m" behind), then every control
   * character but newline and tab (a carriage return rewrites a terminal line, a NUL cuts C
   * strings), and Unicode's bidirectional embeddings, overrides and isolates, which reorder what a
   * reader sees. Printable text, non-Latin scripts included, is kept as it is.
   */
  public static String printable(String text) {
    if (text == null) {
      return null;
    }
    String withoutEscapes = ESCAPES.matcher(text).replaceAll("");
    StringBuilder out = new StringBuilder(withoutEscapes.length());
    withoutEscapes.codePoints()
        .filter(c -> c == '\n' || c == '\t' || !Character.isISOControl(c) && !isBidiControl(c))
        .forEach(out::appendCodePoint);
    return out.toString();
  }

  private static boolean isBidiControl(int c) {
    return c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069;
  }

  /** Cuts {@code message} to at most {@link #MAX_BYTES} UTF-8 bytes without splitting a character. */
  public static String clip(String message) {
    if (utf8Length(message) <= MAX_BYTES) {
      return message;
    }
    String marker = " …[truncated]";
    int budget = MAX_BYTES - utf8Length(marker);
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    ByteBuffer out = ByteBuffer.allocate(budget);
    CharBuffer in = CharBuffer.wrap(message);
    encoder.encode(in, out, true); // stops at the last whole character that fits
    return message.substring(0, in.position()) + marker;
  }
}
