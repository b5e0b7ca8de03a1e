package dev.foresight.worker.labels;

import dev.foresight.worker.WorkerException;
import dev.foresight.worker.storage.Purpose;
import dev.foresight.worker.storage.Storage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A label shard's file in storage. It is labelled into a local work file (resumable, like a whole
 * label file) and put at its location only when finished, in one step (an S3 PUT, or a rename for
 * a local or mounted path): so the location holds either nothing or the whole shard, a retried pod
 * replaces it whole, and a restarted run finds the finished shards and labels only the others.
 */
public final class ShardFile {
  private final Storage storage;
  private final String location;

  public ShardFile(Storage storage, String location) {
    this.storage = storage;
    this.location = location;
  }

  public Path workFile() {
    return storage.workFile(location);
  }

  /** The header of the shard at the location, if one is there (finished: a shard is put there whole). */
  public java.util.Optional<LabelHeader> stored() {
    if (!storage.exists(location, Purpose.OUTPUT)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(LabelFile.read(storage.fetch(location, Purpose.OUTPUT)).header());
  }

  /**
   * Whether the location already holds this shard, finished by an earlier run (says so on
   * {@code out}).
   *
   * @throws WorkerException (invalid arguments) when it holds another run's labels
   */
  public boolean alreadyLabelled(LabelHeader header, PrintWriter out) {
    if (!storage.exists(location, Purpose.OUTPUT)) {
      return false;
    }
    Labels stored = LabelFile.read(storage.fetch(location, Purpose.OUTPUT));
    if (!stored.header().sameRunAs(header)) {
      throw WorkerException.invalidArguments("label shard " + location + " holds labels of another run (checkpoint "
          + stored.header().checkpoint() + ", " + stored.header().settings() + ", shard " + stored.header().shard()
          + "): choose another output or delete it");
    }
    out.println("shard " + header.shard().index() + " of " + header.shard().count() + " is already labelled: " + location);
    return true;
  }

  /** Puts the finished work file at the location, whole, and removes the work file. */
  public void publish(PrintWriter out) throws IOException {
    storage.store(workFile(), location);
    Files.delete(workFile());
    out.println("label shard: " + location);
  }
}
