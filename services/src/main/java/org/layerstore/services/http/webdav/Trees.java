// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.layerstore.datapath.OpenFile;
import org.layerstore.services.http.OpenDirectory;
import org.layerstore.services.http.Share;

/**
 * Whole-tree file operations for DELETE, COPY and MOVE. Every step works relative to an open folder
 * ({@link SecureDirectoryStream}: openat, unlinkat, fstatat with O_NOFOLLOW on Linux), never by a path
 * from the top: a folder inside the tree that another client swaps for a symbolic link while the walk
 * runs is seen as the link it now is, and the walk never follows it out of the share. Symbolic links
 * are copied and deleted as links.
 */
public final class Trees {

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    /** One direct buffer per file copied: each read from the source is one write(2) to the copy. */
    private static final int COPY_BUFFER_BYTES = 64 * 1024;

    private Trees() {
    }

    /**
     * Deletes {@code path}: a file or link, or a folder with everything in it. Its own folder is opened by
     * path (give one of {@link OpenDirectory#resolve} for a share's member), everything below it relative
     * to that.
     */
    public static void delete(Path path) throws IOException {
        try (SecureDirectoryStream<Path> folder = secure(path.getParent())) {
            deleteEntry(folder, path.getFileName());
        }
    }

    private static void deleteEntry(SecureDirectoryStream<Path> folder, Path name) throws IOException {
        if (!attributes(folder, name).isDirectory()) {
            folder.deleteFile(name);
            return;
        }
        try (SecureDirectoryStream<Path> inner = folder.newDirectoryStream(name, NOFOLLOW)) {
            for (Path member : names(inner)) {
                deleteEntry(inner, member);
            }
        }
        folder.deleteDirectory(name);
    }

    /**
     * Copies {@code name} of {@code from} to the absent {@code newName} of {@code to}: one file or link,
     * one empty folder (shallow) or a whole tree, each new folder entered by its descriptor
     * ({@link OpenDirectory#openFolder}). {@code fromPath}/{@code toPath} are their paths in the share, for
     * the dead-property store and for reading a link's text.
     */
    static void copy(OpenDirectory from, String name, OpenDirectory to, String newName, boolean deep,
            DeadPropertyStore properties, Path fromPath, Path toPath) throws IOException {
        try (SecureDirectoryStream<Path> source = secure(from.path())) {
            copyEntry(source, Path.of(name), to, newName, deep, properties, fromPath, toPath);
        }
    }

    private static void copyEntry(SecureDirectoryStream<Path> source, Path name, OpenDirectory to, String newName,
            boolean deep, DeadPropertyStore properties, Path fromPath, Path toPath) throws IOException {
        BasicFileAttributes attrs = attributes(source, name);
        Path target = to.resolve(newName);
        if (attrs.isSymbolicLink()) {
            // The link itself, not what it names; its text is only text (reads judge where it leads).
            Files.createSymbolicLink(target, Files.readSymbolicLink(fromPath));
        } else if (attrs.isDirectory()) {
            Files.createDirectory(target);
            if (deep) {
                try (SecureDirectoryStream<Path> inner = source.newDirectoryStream(name, NOFOLLOW);
                        OpenDirectory created = to.openFolder(newName)) {
                    for (Path member : names(inner)) {
                        String m = member.toString();
                        if (m.startsWith(Share.RESERVED_PREFIX)) {
                            continue; // another request's temporary, the journal, the property sidecar
                        }
                        copyEntry(inner, member, created, m, true, properties, fromPath.resolve(m), toPath.resolve(m));
                    }
                }
            }
        } else if (attrs.isRegularFile()) {
            try (SeekableByteChannel in = source.newByteChannel(name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
                    OpenFile out = OpenFile.createNew(target)) { // created exclusively (O_EXCL): never through a link
                copyContent(in, out);
            }
            // NOFOLLOW: the times of what is there now, even if another client swapped a link in meanwhile.
            Files.getFileAttributeView(target, BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(attrs.lastModifiedTime(), null, null);
        } else {
            return; // a FIFO, a socket or a device: not content a client put there, not copied
        }
        properties.copied(fromPath, toPath);
    }

    /** Through the C library's write, so a full disk fails with its error number (ENOSPC), which COPY answers 507. */
    private static void copyContent(SeekableByteChannel in, OpenFile out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(COPY_BUFFER_BYTES);
        while (in.read(buffer) >= 0) {
            buffer.flip();
            out.write(buffer);
            buffer.clear();
        }
    }

    private static SecureDirectoryStream<Path> secure(Path folder) throws IOException {
        DirectoryStream<Path> stream = Files.newDirectoryStream(folder);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new IOException("no SecureDirectoryStream on this platform: tree operations would not be race-free");
    }

    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> folder, Path name) throws IOException {
        return folder.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
    }

    /** The members' names, read before any is changed (deleting while iterating a directory skips entries). */
    private static List<Path> names(SecureDirectoryStream<Path> folder) {
        List<Path> names = new ArrayList<>();
        for (Path entry : folder) {
            names.add(entry.getFileName());
        }
        return names;
    }
}
