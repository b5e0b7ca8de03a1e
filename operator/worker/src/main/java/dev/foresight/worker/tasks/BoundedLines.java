package dev.foresight.worker.tasks;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The UTF-8 lines of a stream with a cap on each line's length in bytes. A line over the cap is
 * counted as it streams past and never held, so a task file with a 10 MiB prompt costs a buffer,
 * not the prompt, and the prompt never reaches the native tokenizer (which aborts the JVM on huge
 * inputs). Task files and lm-evaluation-harness sample logs are read through it. Lines end at {@code \n}, {@code \r\n} or {@code \r}, as {@link java.io.BufferedReader}'s do.
 */
public final class BoundedLines implements Closeable {

  /**
   * One line.
   *
   * @param number from 1, counting blank and refused lines
   * @param text the line without its terminator, or null when {@code problem} says why there is none
   * @param problem why the line was refused (too long, not UTF-8), or null
   */
  public record Line(int number, String text, String problem) {}

  private final InputStream in;
  private final long maxBytes;
  private final byte[] buffer = new byte[64 * 1024];
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private int position;
  private int end;
  private boolean afterCarriageReturn;
  private int number;

  public BoundedLines(InputStream in, long maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The next line, or null at the end of the stream. */
  public Line next() throws IOException {
    line.reset();
    long length = 0;
    boolean started = false;
    while (true) {
      if (position == end) {
        end = Math.max(0, in.read(buffer));
        position = 0;
        if (end == 0) {
          if (!started) {
            return null;
          }
          break;
        }
      }
      if (afterCarriageReturn) {
        afterCarriageReturn = false;
        if (buffer[position] == '\n') {
          position++; // the second half of a \r\n
          continue;
        }
      }
      started = true;
      int from = position;
      while (position < end && buffer[position] != '\n' && buffer[position] != '\r') {
        position++;
      }
      int n = position - from;
      if (length + n <= maxBytes) {
        line.write(buffer, from, n);
      }
      length += n;
      if (position < end) {
        afterCarriageReturn = buffer[position] == '\r';
        position++;
        break;
      }
    }
    number++;
    if (length > maxBytes) {
      return new Line(number, null, length + " bytes long, over the limit of " + maxBytes + " bytes per line");
    }
    try {
      return new Line(number, utf8.decode(ByteBuffer.wrap(line.toByteArray())).toString(), null);
    } catch (CharacterCodingException e) {
      return new Line(number, null, "not valid UTF-8");
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
