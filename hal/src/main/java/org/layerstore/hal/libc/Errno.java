// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

import org.layerstore.hal.bindings.libc.libc_h;

/**
 * A C library error number, with its symbolic name and description from the C library itself
 * ({@code strerrorname_np}, {@code strerrordesc_np}: thread-safe, static strings), so no table of
 * errno values is retyped here. The constants the datapath tests against come from the generated bindings.
 */
public record Errno(int code) {

    public static final int EPERM = libc_h.EPERM();
    public static final int ENOENT = libc_h.ENOENT();
    public static final int EINTR = libc_h.EINTR();
    public static final int EIO = libc_h.EIO();
    public static final int EBADF = libc_h.EBADF();
    public static final int EAGAIN = libc_h.EAGAIN();
    public static final int EWOULDBLOCK = libc_h.EWOULDBLOCK();
    public static final int ENOMEM = libc_h.ENOMEM();
    public static final int EACCES = libc_h.EACCES();
    public static final int EFAULT = libc_h.EFAULT();
    public static final int EBUSY = libc_h.EBUSY();
    public static final int EEXIST = libc_h.EEXIST();
    public static final int ENODEV = libc_h.ENODEV();
    public static final int EINVAL = libc_h.EINVAL();
    public static final int ENOSPC = libc_h.ENOSPC();
    public static final int EDQUOT = libc_h.EDQUOT();
    public static final int EPIPE = libc_h.EPIPE();
    public static final int ERANGE = libc_h.ERANGE();
    public static final int ENOSYS = libc_h.ENOSYS();
    public static final int EMSGSIZE = libc_h.EMSGSIZE();
    public static final int EOPNOTSUPP = libc_h.EOPNOTSUPP();
    public static final int ENOBUFS = libc_h.ENOBUFS();
    public static final int ENOTCONN = libc_h.ENOTCONN();
    public static final int ECONNRESET = libc_h.ECONNRESET();
    public static final int ETIMEDOUT = libc_h.ETIMEDOUT();
    public static final int E2BIG = libc_h.E2BIG();
    public static final int ESRCH = libc_h.ESRCH();
    public static final int EXDEV = libc_h.EXDEV();
    public static final int ELOOP = libc_h.ELOOP();
    public static final int ENOTDIR = libc_h.ENOTDIR();

    /** True for EAGAIN/EWOULDBLOCK: a non-blocking call that would have blocked, not a failure. */
    public boolean isWouldBlock() {
        return code == EAGAIN || code == EWOULDBLOCK;
    }

    /** True for ENOSPC and EDQUOT: the filesystem (or the user's quota on it) has no room for the write. */
    public boolean isNoSpace() {
        return code == ENOSPC || code == EDQUOT;
    }

    /**
     * The error number of the first {@link NativeCallException} in {@code failure}'s cause chain: how a
     * caller above the HAL tells one failure from another (never by the message text, which names the
     * call and may be translated).
     */
    public static Optional<Errno> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NativeCallException call) {
                return Optional.of(call.errno());
            }
        }
        return Optional.empty();
    }

    /** The symbolic name, e.g. {@code ENOMEM}; {@code errno <n>} for a number the C library does not know. */
    public String symbol() {
        return text(libc_h.strerrorname_np(code), "errno " + code);
    }

    /** The C library's description, e.g. {@code Cannot allocate memory}. */
    public String description() {
        return text(libc_h.strerrordesc_np(code), "unknown error " + code);
    }

    @Override
    public String toString() {
        return symbol() + " (" + description() + ")";
    }

    private static String text(MemorySegment cString, String fallback) {
        // The C library returns a pointer to a static, NUL-terminated string (or NULL): no arena owns it.
        return cString.equals(MemorySegment.NULL) ? fallback : cString.reinterpret(256).getString(0);
    }
}
