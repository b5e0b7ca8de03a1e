package dev.foresight.worker.storage;

import java.io.IOException;
import java.io.InputStream;

/** Reads a stream whole, refusing to hold more than a limit: a small file that turns out large is an error, not a heap. */
final class BoundedRead {
  private BoundedRead() {}

  static byte[] readAll(InputStream in, String name, int maxBytes) throws IOException {
    byte[] bytes = in.readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes) {
      throw new IOException(name + " is larger than " + maxBytes + " bytes");
    }
    return bytes;
  }
}
