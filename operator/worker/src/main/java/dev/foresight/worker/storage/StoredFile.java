package dev.foresight.worker.storage;

import java.time.Instant;

/**
 * A file as a listing shows it, without reading it.
 *
 * @param name the file's name in its folder
 * @param modified when it was last written (S3: the object's Last-Modified)
 * @param etag S3's entity tag; null for local files
 */
public record StoredFile(String name, long size, Instant modified, String etag) {}
