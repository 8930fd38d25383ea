// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.buffer;

import java.lang.foreign.MemorySegment;

/**
 * A reference-counted piece of payload that the stack sends without copying it: a view of bytes someone
 * else owns (a mapped and pinned file range, later a run of physical pages), plus what to do when the last
 * reference goes (unpin, unmap). A socket's send buffer holds one reference from the write until the
 * peer's cumulative ACK covers the piece; a link that still needs the bytes after its send returns (a DMA
 * engine awaiting confirmation) takes another with {@link #retain} and releases it at confirmation. A
 * retransmission sends the same piece again: it is never copied.
 *
 * <p>Event-loop confined: retained and released only on the stack's thread, so the count is a plain int.
 */
public final class PayloadPiece {

    /** Longest piece: it must fit comfortably in the 32-bit sequence space of one window. */
    public static final long MAX_BYTES = 1L << 30;

    private final MemorySegment bytes;
    private final Runnable onLastRelease;
    private int references = 1;

    private PayloadPiece(MemorySegment bytes, Runnable onLastRelease) {
        if (bytes.byteSize() == 0 || bytes.byteSize() > MAX_BYTES) {
            throw new IllegalArgumentException("a payload piece holds 1 to " + MAX_BYTES + " bytes, not "
                    + bytes.byteSize());
        }
        this.bytes = bytes;
        this.onLastRelease = onLastRelease;
    }

    /** A piece over {@code bytes} with one reference, the caller's; {@code onLastRelease} runs when the last goes. */
    public static PayloadPiece of(MemorySegment bytes, Runnable onLastRelease) {
        return new PayloadPiece(bytes, onLastRelease);
    }

    /** A piece whose bytes need no cleanup (they outlive every use, e.g. a static response). */
    public static PayloadPiece unowned(MemorySegment bytes) {
        return new PayloadPiece(bytes, () -> { });
    }

    public MemorySegment bytes() {
        return bytes;
    }

    public int length() {
        return (int) bytes.byteSize();
    }

    public PayloadPiece retain() {
        if (references <= 0) {
            throw new IllegalStateException("payload piece already released");
        }
        references++;
        return this;
    }

    public void release() {
        if (references <= 0) {
            throw new IllegalStateException("payload piece released more often than retained");
        }
        if (--references == 0) {
            onLastRelease.run();
        }
    }

    public int references() {
        return references;
    }
}
