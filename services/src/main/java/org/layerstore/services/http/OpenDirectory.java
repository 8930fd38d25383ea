// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.layerstore.hal.libc.BeneathOpen;
import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.FileStatus;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.hal.libc.OpenFlags;

/**
 * A folder of a share held open (O_PATH), so that names are resolved in that very folder however its
 * path changes meanwhile: {@link #resolve} gives a path through {@code /proc/self/fd}, which the kernel
 * follows to the open folder itself, never by its name. Operations that do not follow their last
 * component (create exclusively, mkdir, unlink, rename) then act inside the share, whatever links
 * another client swaps.
 */
public final class OpenDirectory implements AutoCloseable {

    private final int fd;
    private boolean closed;

    OpenDirectory(int fd) {
        this.fd = fd;
    }

    /** The folder itself, as a path any file API can open. */
    public Path path() {
        return DescriptorPaths.of(fd);
    }

    /** The entry {@code name} (one segment) of this folder. */
    public Path resolve(String name) {
        return path().resolve(name);
    }

    /**
     * The member folder {@code name} (one segment), held open in turn: the way down a tree that another
     * client may change meanwhile. Resolved beneath this folder: a symbolic link swapped in its place is
     * followed only while it stays beneath this folder, so the way down never leaves it.
     */
    public OpenDirectory openFolder(String name) throws IOException {
        int child = BeneathOpen.open(fd, name, OpenFlags.PATH_ONLY);
        if (child == -Errno.ENOSYS) {
            child = openThenVerify(name);
        }
        child = keptIfFolder(child);
        if (child < 0) {
            throw new IOException("opening folder " + name + " in " + Files.readSymbolicLink(path()) + ": "
                    + new Errno(-child));
        }
        return new OpenDirectory(child);
    }

    /** Without openat2: open by name, kept only if the kernel names it as this folder's member. */
    private int openThenVerify(String name) throws IOException {
        int child;
        try {
            child = Libc.open(resolve(name).toString(), OpenFlags.PATH_ONLY | OpenFlags.CLOSE_ON_EXEC);
        } catch (NativeCallException e) {
            return -e.errno().code();
        }
        if (!Files.readSymbolicLink(DescriptorPaths.of(child)).equals(Files.readSymbolicLink(path()).resolve(name))) {
            Libc.close(child);
            return -Errno.EXDEV;
        }
        return child;
    }

    /**
     * {@code fd} when it is open on a folder; else it is closed and the answer is -ENOTDIR (a negative errno
     * passes through). The check is a statx, not O_DIRECTORY: that flag's value differs between x86-64
     * (0200000) and arm64 (040000, where 0200000 is O_DIRECT, which openat2 refuses with O_PATH), and the
     * generated bindings hold the value of the machine they were generated on.
     */
    static int keptIfFolder(int fd) {
        if (fd < 0) {
            return fd;
        }
        boolean folder;
        try {
            folder = FileStatus.of(fd).isDirectory();
        } catch (NativeCallException e) {
            Libc.close(fd);
            return -e.errno().code();
        }
        if (!folder) {
            Libc.close(fd);
            return -Errno.ENOTDIR;
        }
        return fd;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }
}
