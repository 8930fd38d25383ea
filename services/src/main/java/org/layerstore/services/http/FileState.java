// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.layerstore.hal.libc.FileStatus;

/**
 * What a client can validate about a file or folder: its size, modification time and strong ETag.
 * The ETag joins inode, size and modification time in nanoseconds, so a rewrite (a new inode after
 * an upload's rename) or an in-place change both give a new tag.
 */
public record FileState(boolean directory, boolean regularFile, long size, FileTime modified, String etag) {

    /** The state of what {@code path} names, links followed; NoSuchFileException when nothing. */
    public static FileState of(Path path) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(path, "unix:ino,size,lastModifiedTime,isDirectory,isRegularFile");
        return of((Boolean) attrs.get("isDirectory"), (Boolean) attrs.get("isRegularFile"), (Long) attrs.get("ino"),
                (Long) attrs.get("size"), (FileTime) attrs.get("lastModifiedTime"));
    }

    /** The state of an open file, from its statx: the same tag as {@link #of(Path)} gives for it. */
    public static FileState of(FileStatus status) {
        return of(status.isDirectory(), status.isRegularFile(), status.inode(), status.size(),
                FileTime.from(Instant.ofEpochSecond(status.modifiedSeconds(), status.modifiedNanos())));
    }

    private static FileState of(boolean directory, boolean regularFile, long inode, long size, FileTime modified) {
        long nanos = modified.to(TimeUnit.NANOSECONDS);
        String etag = "\"" + Long.toHexString(inode) + "-" + Long.toHexString(size) + "-" + Long.toHexString(nanos) + "\"";
        return new FileState(directory, regularFile, size, modified, etag);
    }

    public String lastModified() {
        return HttpDates.format(modified);
    }

    /** Seconds since the epoch, as HTTP dates compare. */
    public long modifiedSeconds() {
        return modified.toInstant().getEpochSecond();
    }
}
