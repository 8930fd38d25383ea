// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.bindings.libc.statx;
import org.layerstore.hal.bindings.libc.statx_timestamp;

/**
 * What {@code statx(2)} reports about an open descriptor: type, size, inode and modification time.
 * statx rather than fstat because its structure is the same on every architecture, so the one set of
 * generated bindings serves x86-64 and arm64 (struct stat differs between them).
 */
public record FileStatus(int mode, long size, long inode, long modifiedSeconds, int modifiedNanos) {

    private static final MethodHandle STATX = ErrnoCapture.link(libc_h.statx$address(), libc_h.statx$descriptor());
    /** The empty path that, with AT_EMPTY_PATH, makes statx describe the descriptor itself. */
    private static final MemorySegment EMPTY_PATH = Arena.global().allocateFrom("");
    private static final ThreadLocal<MemorySegment> BUFFER = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(statx.layout()));

    /** The status of the file {@code fd} has open. */
    public static FileStatus of(int fd) {
        MemorySegment buffer = BUFFER.get();
        int rc;
        try {
            rc = (int) STATX.invokeExact(ErrnoCapture.state(), fd, EMPTY_PATH, libc_h.AT_EMPTY_PATH(),
                    libc_h.STATX_BASIC_STATS(), buffer);
        } catch (Throwable e) {
            throw new IllegalStateException("statx: downcall failed", e);
        }
        if (rc < 0) {
            throw new NativeCallException("statx", "fd=" + fd + ", AT_EMPTY_PATH", ErrnoCapture.errno());
        }
        MemorySegment modified = statx.stx_mtime(buffer);
        return new FileStatus(Short.toUnsignedInt(statx.stx_mode(buffer)), statx.stx_size(buffer), statx.stx_ino(buffer),
                statx_timestamp.tv_sec(modified), statx_timestamp.tv_nsec(modified));
    }

    public boolean isRegularFile() {
        return (mode & libc_h.S_IFMT()) == libc_h.S_IFREG();
    }

    public boolean isDirectory() {
        return (mode & libc_h.S_IFMT()) == libc_h.S_IFDIR();
    }
}
