// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

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

    private BeneathOpen() {
    }

    /**
     * Opens {@code relativePath} beneath the directory {@code dirfd} with {@code flags} (O_CLOEXEC is
     * added). Returns the new descriptor, or the negated errno: ENOENT, EXDEV (a step left the directory),
     * ELOOP, ENOTDIR, ENOSYS and the rest are outcomes its callers branch on, not exceptional events, so
     * no exception is built for them.
     */
    public static int open(int dirfd, String relativePath, int flags) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment how = call.allocate(open_how.layout());
            open_how.flags(how, flags | libc_h.O_CLOEXEC());
            open_how.resolve(how, libc_h.RESOLVE_BENEATH() | libc_h.RESOLVE_NO_MAGICLINKS());
            long rc = (long) SYSCALL.invokeExact(ErrnoCapture.state(), SYS_OPENAT2, (long) dirfd,
                    call.allocateFrom(relativePath), how, open_how.sizeof());
            return rc < 0 ? -ErrnoCapture.errno().code() : (int) rc;
        } catch (Throwable e) {
            throw new IllegalStateException("openat2: downcall failed", e);
        }
    }
}
