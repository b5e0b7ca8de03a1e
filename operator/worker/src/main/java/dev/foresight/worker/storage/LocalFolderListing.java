package dev.foresight.worker.storage;

import dev.foresight.worker.WorkerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A {@link FolderListing} of a local folder (file:// or a path) or a mounted claim (pvc://). */
final class LocalFolderListing implements FolderListing {
  private final String location;
  private final Path root;
  private final Purpose purpose;

  LocalFolderListing(String location, Path root, Purpose purpose) {
    this.location = location;
    this.root = root;
    this.purpose = purpose;
  }

  @Override
  public String location() { return location; }

  @Override
  public void forEachFolder(Consumer<String> folder) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry)) {
          folder.accept(entry.getFileName().toString());
        }
      }
    } catch (NoSuchFileException e) {
      throw new WorkerException(purpose.missingOrDenied(), purpose.noun() + " not found: " + location + " (" + root
          + (location.startsWith("pvc://") ? ": is the claim mounted?)" : " does not exist)"), e);
    } catch (NotDirectoryException e) {
      throw new WorkerException(purpose.missingOrDenied(), purpose.noun() + " " + location + " is a file, not a folder", e);
    } catch (IOException e) {
      throw unreadable(root, e);
    }
  }

  @Override
  public List<StoredFile> files(String folder) {
    List<StoredFile> files = new ArrayList<>();
    Path dir = root.resolve(folder);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(entry, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
          continue; // removed while we looked: as if never there
        }
        if (a.isRegularFile()) {
          files.add(new StoredFile(entry.getFileName().toString(), a.size(), a.lastModifiedTime().toInstant(), null));
        }
      }
    } catch (NoSuchFileException | NotDirectoryException gone) {
      return List.of(); // the trainer removed (or replaced) it since the prefix was listed
    } catch (IOException e) {
      throw unreadable(dir, e);
    }
    return files;
  }

  @Override
  public byte[] read(String folder, String file, int maxBytes) throws IOException {
    try (InputStream in = Files.newInputStream(root.resolve(folder).resolve(file))) {
      return BoundedRead.readAll(in, file, maxBytes);
    }
  }

  private WorkerException unreadable(Path path, IOException e) {
    String why = e instanceof AccessDeniedException ? "permission denied" : e.toString();
    return new WorkerException(purpose.missingOrDenied(), purpose.noun() + " " + location + ": cannot list " + path + ": " + why, e);
  }
}
