// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.bindings.libc.open_how;

/**
 * {@code openat2(2)} with {@code RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS}: opens a path relative to a
 * directory in one system call, and only if every step of its resolution, symbolic links included,
 * stays beneath that directory. The kernel does what would otherwise take a {@code realpath} (a
 * readlink per component) and a second open, and without the race between the check and the open.
 *
 * <p>glibc has no wrapper, so it is called through {@code syscall(2)}; its number is 437 on every
 * architecture (the system-call tables were unified from number 424 on). Kernels before 5.6 answer
 * ENOSYS.
 */
public final class BeneathOpen {

    /** SYS_openat2: the same on x86-64, arm64 and every other Linux architecture. */
    static final long SYS_OPENAT2 = 437;

    // syscall is variadic: linked for openat2's (int dirfd, const char *path, struct open_how *how, size_t size).
    private static final MethodHandle SYSCALL = ErrnoCapture.link(libc_h.syscall.address(),
            libc_h.syscall.makeInvoker(libc_h.C_LONG, libc_h.C_POINTER, libc_h.C_POINTER, libc_h.C_LONG).descriptor(),
            Linker.Option.firstVariadicArg(1));

    /** Linux's PATH_MAX ({@code <linux/limits.h>}): the longest path, its NUL included, a system call takes. */
    static final int PATH_MAX = 4096;
    private static final ThreadLocal<PerThread> BUFFERS = ThreadLocal.withInitial(PerThread::new);

    private BeneathOpen() {
    }

    /**
     * Opens {@code relativePath} beneath the directory {@code dirfd} with {@code flags} (O_CLOEXEC is
     * added). Returns the new descriptor, or the negated errno: ENOENT, EXDEV (a step left the directory),
     * ELOOP, ENOTDIR, ENOSYS and the rest are outcomes its callers branch on, not exceptional events, so
     * no exception is built for them.
     */
    public static int open(int dirfd, String relativePath, int flags) {
        return open(dirfd, relativePath, flags, libc_h.RESOLVE_BENEATH() | libc_h.RESOLVE_NO_MAGICLINKS());
    }

    /**
     * As {@link #open}, refusing every symbolic link on the way ({@code RESOLVE_NO_SYMLINKS}: ELOOP) and every
     * mount point ({@code RESOLVE_NO_XDEV}: EXDEV): the object opened is then the one its name's folders, as
     * written, lead to, on the directory's own filesystem (so its inode number names it).
     */
    public static int openWithoutLinksOrMounts(int dirfd, String relativePath, int flags) {
        return open(dirfd, relativePath, flags,
                libc_h.RESOLVE_BENEATH() | libc_h.RESOLVE_NO_SYMLINKS() | libc_h.RESOLVE_NO_XDEV());
    }

    private static int open(int dirfd, String relativePath, int flags, long resolve) {
        PerThread buffers = BUFFERS.get();
        MemorySegment path = buffers.path(relativePath);
        if (path == null) { // longer than PATH_MAX: passed as it is, for the kernel's own ENAMETOOLONG
            try (Arena call = Arena.ofConfined()) {
                return openat2(dirfd, call.allocateFrom(relativePath), flags, resolve, buffers.how);
            }
        }
        return openat2(dirfd, path, flags, resolve, buffers.how);
    }

    private static int openat2(int dirfd, MemorySegment path, int flags, long resolve, MemorySegment how) {
        open_how.flags(how, flags | libc_h.O_CLOEXEC());
        open_how.resolve(how, resolve);
        try {
            long rc = (long) SYSCALL.invokeExact(ErrnoCapture.state(), SYS_OPENAT2, (long) dirfd, path, how,
                    open_how.sizeof());
            return rc < 0 ? -ErrnoCapture.errno().code() : (int) rc;
        } catch (Throwable e) {
            throw new IllegalStateException("openat2: downcall failed", e);
        }
    }

    /**
     * Each thread's {@code open_how} and path buffer, reused by every call: a share opens a file per GET,
     * and a confined arena per call (allocate, zero, free twice) cost more than the system call's own setup.
     */
    private static final class PerThread {
        final MemorySegment how = Arena.ofAuto().allocate(open_how.layout());
        private final MemorySegment path = Arena.ofAuto().allocate(PATH_MAX);

        /** {@code name} as a NUL-terminated UTF-8 string in this thread's buffer; null if it exceeds PATH_MAX. */
        MemorySegment path(String name) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            if (bytes.length >= PATH_MAX) {
                return null;
            }
            MemorySegment.copy(bytes, 0, path, ValueLayout.JAVA_BYTE, 0, bytes.length);
            path.set(ValueLayout.JAVA_BYTE, bytes.length, (byte) 0);
            return path;
        }
    }
}
