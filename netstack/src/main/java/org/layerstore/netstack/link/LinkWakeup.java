// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.layerstore.hal.libc.FdPair;
import org.layerstore.hal.libc.Libc;

/**
 * What another thread pokes to end a link's wait for frames early (Netty's {@code wakeup}: a task or a
 * write was handed to the event loop): a non-blocking pipe whose read end the link waits on beside its
 * frame descriptors, as Netty's epoll transport waits on an eventfd. {@link #signal} is safe from any
 * thread; a signal given while the loop is not waiting makes its next wait return at once.
 */
final class LinkWakeup implements AutoCloseable {

    private final FdPair pipe = Libc.nonBlockingPipe();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment oneByte = arena.allocate(1);
    private final MemorySegment drain = arena.allocate(64);

    /** The descriptor that becomes readable on {@link #signal}. */
    int descriptor() {
        return pipe.first();
    }

    /**
     * Makes the link's current or next wait return. A full pipe (signals not yet cleared) needs no more
     * bytes, so a write that would block is fine.
     */
    void signal() {
        Libc.write(pipe.second(), oneByte);
    }

    /** Takes the signals given so far (event-loop thread), so the next wait blocks again. */
    void clear() {
        while (Libc.read(pipe.first(), drain) > 0) {
            // each read takes up to 64 signals; the pipe is non-blocking
        }
    }

    @Override
    public void close() {
        pipe.close();
        arena.close();
    }
}
