// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath;

import java.util.concurrent.atomic.AtomicInteger;

import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.OpenOutcome;

/**
 * A file descriptor with several owners: a cache that keeps it open and each response still sending from it
 * ({@link OpenFile#lease}). Counted: it is closed exactly once, by whichever owner lets go last, so a cache
 * may drop it while a response still sends, and a response may end after the cache dropped it.
 */
public final class SharedDescriptor {

    private final int fd;
    /** Owners; 0 once closed, after which it never counts up again. */
    private final AtomicInteger owners = new AtomicInteger(1);

    private SharedDescriptor(int fd) {
        this.fd = fd;
    }

    /** Takes over the descriptor of {@code opened}; the caller is its first owner. */
    public static SharedDescriptor adopt(OpenOutcome opened) {
        return new SharedDescriptor(opened.take());
    }

    int fd() {
        return fd;
    }

    /** Its owners now: the cache and each response sending from it; 0 once closed. */
    public int owners() {
        return owners.get();
    }

    /** One more owner; false when it was closed already (the last owner let go), and then nothing changes. */
    public boolean retain() {
        for (int n = owners.get(); n > 0; n = owners.get()) {
            if (owners.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** One owner fewer; the last one closes the descriptor. */
    public void release() {
        int left = owners.decrementAndGet();
        if (left == 0) {
            Libc.close(fd);
        } else if (left < 0) {
            throw new IllegalStateException("fd " + fd + " released more often than retained");
        }
    }
}
