package dev.foresight.api.report;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Kubernetes keeps at most 4096 bytes of a container's termination message. */
public final class TerminationMessage {
  public static final int MAX_BYTES = 4096;

  private TerminationMessage() {}

  public static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
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
