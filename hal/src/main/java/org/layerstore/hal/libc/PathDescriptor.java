// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import java.nio.file.Path;

/**
 * An O_PATH descriptor: it names a file or folder, survives renames of the path it was opened by, and opens
 * nothing (no read, no write, no device's open runs). A share holds its root as one, and resolves every
 * request's name beneath it ({@link #openBeneath}). Owned: {@link #close} once.
 */
public final class PathDescriptor implements AutoCloseable {

    private static final Path SELF_FD = Path.of("/proc/self/fd");

    private final int fd;
    private boolean closed;

    private PathDescriptor(int fd) {
        this.fd = fd;
    }

    /** O_PATH | O_CLOEXEC of {@code path} (final links followed); throws naming the call when it fails. */
    public static PathDescriptor open(String path) {
        return new PathDescriptor(Libc.open(path, OpenFlags.PATH_ONLY | OpenFlags.CLOSE_ON_EXEC));
    }

    /** Takes ownership of {@code fd}, an O_PATH descriptor (from {@link OpenOutcome#asPath}). */
    static PathDescriptor adopt(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a descriptor: " + fd);
        }
        return new PathDescriptor(fd);
    }

    /** {@code /proc/self/fd/N}: a path any file API can use that reaches this very object (proc(5)). */
    public Path procPath() {
        return procPath(fd);
    }

    static Path procPath(int fd) {
        return SELF_FD.resolve(Integer.toString(fd));
    }

    /** statx of what it names. */
    public FileStatus status() {
        return FileStatus.of(fd);
    }

    /**
     * {@code relative} opened with {@code flags} beneath this folder ({@link BeneathOpen}): the new descriptor,
     * the caller's, or the errno why not (EXDEV for a name that leads outside, ENOSYS before Linux 5.6).
     */
    public OpenOutcome openBeneath(String relative, int flags) {
        return OpenOutcome.of(BeneathOpen.open(fd, relative, flags));
    }

    /** As {@link #openBeneath}, with no symbolic link and no mount point on the way ({@link BeneathOpen#openWithoutLinksOrMounts}). */
    public OpenOutcome openBeneathWithoutLinksOrMounts(String relative, int flags) {
        return OpenOutcome.of(BeneathOpen.openWithoutLinksOrMounts(fd, relative, flags));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }

    @Override
    public String toString() {
        return "O_PATH fd " + fd;
    }
}
