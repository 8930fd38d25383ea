package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * What a client can validate about a file or folder: its size, modification time and strong ETag.
 * The ETag joins inode, size and modification time in nanoseconds, so a rewrite (a new inode after
 * an upload's rename) or an in-place change both give a new tag.
 */
public record FileState(boolean directory, long size, FileTime modified, String etag) {

    public static FileState of(Path path) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(path, "unix:ino,size,lastModifiedTime,isDirectory");
        long inode = (Long) attrs.get("ino");
        long size = (Long) attrs.get("size");
        FileTime modified = (FileTime) attrs.get("lastModifiedTime");
        boolean directory = (Boolean) attrs.get("isDirectory");
        long nanos = modified.to(java.util.concurrent.TimeUnit.NANOSECONDS);
        String etag = "\"" + Long.toHexString(inode) + "-" + Long.toHexString(size) + "-" + Long.toHexString(nanos) + "\"";
        return new FileState(directory, size, modified, etag);
    }

    public String lastModified() {
        return HttpDates.format(modified);
    }

    /** Seconds since the epoch, as HTTP dates compare. */
    public long modifiedSeconds() {
        return modified.toInstant().getEpochSecond();
    }
}
