// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.hal.libc.OpenFlags;
import org.layerstore.hal.libc.OpenOutcome;
import org.layerstore.hal.libc.PathDescriptor;

/**
 * A folder of a share held open (O_PATH), so that names are resolved in that very folder however its
 * path changes meanwhile: {@link #resolve} gives a path through {@code /proc/self/fd}, which the kernel
 * follows to the open folder itself, never by its name. Operations that do not follow their last
 * component (create exclusively, mkdir, unlink, rename) then act inside the share, whatever links
 * another client swaps.
 */
public final class OpenDirectory implements AutoCloseable {

    private final PathDescriptor folder;

    OpenDirectory(PathDescriptor folder) {
        this.folder = folder;
    }

    /** The folder itself, as a path any file API can open. */
    public Path path() {
        return folder.procPath();
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
        OpenOutcome child = folder.openBeneath(name, OpenFlags.PATH_ONLY);
        if (child.errno() == Errno.ENOSYS) {
            child = openThenVerify(name);
        }
        child = keptIfFolder(child);
        if (!child.isOpen()) {
            throw new IOException("opening folder " + name + " in " + Files.readSymbolicLink(path()) + ": "
                    + new Errno(child.errno()));
        }
        return new OpenDirectory(child.asPath());
    }

    /** Without openat2: open by name, kept only if the kernel names it as this folder's member. */
    private OpenOutcome openThenVerify(String name) throws IOException {
        OpenOutcome child = OpenOutcome.open(resolve(name).toString(), OpenFlags.PATH_ONLY);
        if (child.isOpen() && !Files.readSymbolicLink(child.procPath()).equals(Files.readSymbolicLink(path()).resolve(name))) {
            child.close();
            return OpenOutcome.failed(Errno.EXDEV);
        }
        return child;
    }

    /**
     * {@code opened} when it is open on a folder; else it is closed and the outcome is ENOTDIR (a failure
     * passes through). The check is a statx, not O_DIRECTORY: that flag's value differs between x86-64
     * (0200000) and arm64 (040000, where 0200000 is O_DIRECT, which openat2 refuses with O_PATH), and the
     * generated bindings hold the value of the machine they were generated on.
     */
    static OpenOutcome keptIfFolder(OpenOutcome opened) {
        if (!opened.isOpen()) {
            return opened;
        }
        boolean isFolder;
        try {
            isFolder = opened.status().isDirectory();
        } catch (NativeCallException e) {
            opened.close();
            return OpenOutcome.failed(e.errno().code());
        }
        if (!isFolder) {
            opened.close();
            return OpenOutcome.failed(Errno.ENOTDIR);
        }
        return opened;
    }

    @Override
    public void close() {
        folder.close();
    }
}
