// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import java.nio.file.Path;

/**
 * What an open whose failures are everyday answers gave (ENOENT, ENOTDIR: nothing there; EXDEV, ELOOP: a
 * name that leads outside; ENOSYS: no openat2): an owned descriptor, or the errno that says why there is
 * none. No exception is built for a miss. The layers above take the descriptor as what it is
 * ({@link #asPath} for O_PATH, {@code OpenFile.adoptForReading} for content) and never handle its number.
 * Owned until taken or closed: {@link #close} once, which does nothing after a take or a failure.
 */
public final class OpenOutcome implements AutoCloseable {

    private final int fdOrNegatedErrno;
    private boolean owned;

    private OpenOutcome(int fdOrNegatedErrno) {
        this.fdOrNegatedErrno = fdOrNegatedErrno;
        this.owned = fdOrNegatedErrno >= 0;
    }

    /** The descriptor, or the negated errno, of a call that answers that way ({@link BeneathOpen#open}). */
    static OpenOutcome of(int fdOrNegatedErrno) {
        return new OpenOutcome(fdOrNegatedErrno);
    }

    /** No descriptor, because of {@code errno}. */
    public static OpenOutcome failed(int errno) {
        if (errno <= 0) {
            throw new IllegalArgumentException("not an errno: " + errno);
        }
        return new OpenOutcome(-errno);
    }

    /** open(2) of {@code path} with {@code flags} (O_CLOEXEC added), its failure an outcome, not an exception. */
    public static OpenOutcome open(String path, int flags) {
        try {
            return new OpenOutcome(Libc.open(path, flags | OpenFlags.CLOSE_ON_EXEC));
        } catch (NativeCallException e) {
            return failed(e.errno().code());
        }
    }

    public boolean isOpen() {
        return fdOrNegatedErrno >= 0;
    }

    /** Why there is no descriptor; 0 when there is one. */
    public int errno() {
        return isOpen() ? 0 : -fdOrNegatedErrno;
    }

    /** statx of what was opened. */
    public FileStatus status() {
        return FileStatus.of(descriptor());
    }

    /** {@code /proc/self/fd/N}: a path any file API can use that reaches the very object opened (proc(5)). */
    public Path procPath() {
        return PathDescriptor.procPath(descriptor());
    }

    /** The same object opened again through {@link #procPath} with {@code flags}: still it, whatever its name leads to by now. */
    public OpenOutcome reopen(int flags) {
        return open(procPath().toString(), flags);
    }

    /** The descriptor as the O_PATH descriptor it was opened as, which owns it from now on. */
    public PathDescriptor asPath() {
        return PathDescriptor.adopt(take());
    }

    /**
     * The descriptor number, whose ownership passes to the caller: for the datapath's own file type
     * ({@code OpenFile}), which keeps it from there.
     */
    public int take() {
        int fd = descriptor();
        if (!owned) {
            throw new IllegalStateException("fd " + fd + " was taken already");
        }
        owned = false;
        return fd;
    }

    private int descriptor() {
        if (!isOpen()) {
            throw new IllegalStateException("no descriptor: " + new Errno(errno()));
        }
        return fdOrNegatedErrno;
    }

    @Override
    public void close() {
        if (owned) {
            owned = false;
            Libc.close(fdOrNegatedErrno);
        }
    }

    @Override
    public String toString() {
        return isOpen() ? "fd " + fdOrNegatedErrno : "not opened: " + new Errno(errno());
    }
}
