// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import org.layerstore.datapath.mapping.FileMapping;

/**
 * One in-flight frame of a connection (the patent's "meta-buffer"): which frame, the file bytes it
 * carries, the DMA buffer holding its S/G table and header, and the mapping its payload entries point
 * into. Its lifecycle only moves forward:
 * {@code BUILT -> ENQUEUED -> CONFIRMED | REJECTED -> RELEASED}, or {@code BUILT -> RELEASED} when the
 * frame is abandoned before it reached the hardware. While it exists the mapping holds a reference, so
 * the pages stay mapped (and pinned) until the hardware has finished reading them.
 */
public final class MetaBuffer {

    /** Where a meta-buffer is in its life. */
    public enum State { BUILT, ENQUEUED, CONFIRMED, REJECTED, RELEASED }

    private final MetaBufferRing ring;
    private final int frame;
    private final long fileOffset;
    private final int payloadLength;
    private final long buffer;
    private final FileMapping mapping;
    private State state = State.BUILT;
    private int rejectionStatus;

    MetaBuffer(MetaBufferRing ring, int frame, long fileOffset, int payloadLength, long buffer, FileMapping mapping) {
        this.ring = ring;
        this.frame = frame;
        this.fileOffset = fileOffset;
        this.payloadLength = payloadLength;
        this.buffer = buffer;
        this.mapping = mapping;
    }

    public long fileOffset() {
        return fileOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** The bus address of the DMA buffer holding the frame's S/G table and header (its descriptor's address). */
    public long buffer() {
        return buffer;
    }

    public int frame() {
        return frame;
    }

    public FileMapping mapping() {
        return mapping;
    }

    public synchronized State state() {
        return state;
    }

    /** The frame manager's status bits of a rejected frame (0 otherwise). */
    public synchronized int rejectionStatus() {
        return rejectionStatus;
    }

    /** The descriptor was handed to the frame queue. */
    public synchronized void enqueued() {
        move(State.BUILT, State.ENQUEUED);
    }

    /** The hardware confirmed it sent the frame. */
    public synchronized void confirmed() {
        move(State.ENQUEUED, State.CONFIRMED);
    }

    /** The hardware rejected the frame with these status bits. */
    public synchronized void rejected(int status) {
        move(State.ENQUEUED, State.REJECTED);
        rejectionStatus = status;
    }

    /**
     * Gives the slot back to the ring and the mapping reference back to the mapping. Allowed after a
     * confirmation or rejection, or before enqueueing (abandoned); never while the hardware may read.
     */
    public void release() {
        synchronized (this) {
            if (state == State.ENQUEUED) {
                throw new IllegalStateException("frame " + frame + " is still with the hardware: release it after its confirmation");
            }
            if (state == State.RELEASED) {
                throw new IllegalStateException("frame " + frame + " was already released");
            }
            state = State.RELEASED;
        }
        mapping.release();
        ring.released(this);
    }

    private void move(State from, State to) {
        if (state != from) {
            throw new IllegalStateException("frame " + frame + " cannot go " + from + " -> " + to + ": it is " + state);
        }
        state = to;
    }

    @Override
    public synchronized String toString() {
        return "MetaBuffer[frame " + frame + ", " + state + "]";
    }
}
