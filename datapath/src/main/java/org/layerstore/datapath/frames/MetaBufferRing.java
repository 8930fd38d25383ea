// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.layerstore.datapath.mapping.FileMapping;

/**
 * The meta-buffers of one connection, bounded: at most {@link #capacity()} frames are built or in
 * flight at a time. When the ring is full the sender is pushed back ({@link #tryBuild} answers empty,
 * {@link #awaitBuild} waits for confirmations) instead of queueing without limit.
 */
public final class MetaBufferRing {

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition slotFreed = lock.newCondition();
    private int inFlight;
    private long busyRefusals;

    public MetaBufferRing(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("ring capacity " + capacity + " is not positive");
        }
        this.capacity = capacity;
    }

    public int capacity() {
        return capacity;
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** How often a build was refused or had to wait because the ring was full. */
    public long busyRefusals() {
        lock.lock();
        try {
            return busyRefusals;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Builds a meta-buffer for {@code frame} (carrying {@code payloadLength} file bytes from {@code fileOffset},
     * described by the DMA buffer at bus address {@code buffer}) if a slot is free, taking a reference on
     * the mapping.
     *
     * @return empty when the ring is full (back-pressure: send later)
     * @throws IllegalStateException when the mapping is already unmapped
     */
    public Optional<MetaBuffer> tryBuild(int frame, long fileOffset, int payloadLength, long buffer, FileMapping mapping) {
        lock.lock();
        try {
            if (inFlight == capacity) {
                busyRefusals++;
                return Optional.empty();
            }
            return Optional.of(take(frame, fileOffset, payloadLength, buffer, mapping));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Builds a meta-buffer for {@code frame}, waiting up to {@code timeout} for a confirmation to free a slot.
     *
     * @return empty when no slot was freed in time
     */
    public Optional<MetaBuffer> awaitBuild(int frame, long fileOffset, int payloadLength, long buffer, FileMapping mapping,
            long timeout, TimeUnit unit)
            throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            if (inFlight == capacity) {
                busyRefusals++;
            }
            while (inFlight == capacity) {
                if (nanos <= 0) {
                    return Optional.empty();
                }
                nanos = slotFreed.awaitNanos(nanos);
            }
            return Optional.of(take(frame, fileOffset, payloadLength, buffer, mapping));
        } finally {
            lock.unlock();
        }
    }

    /** Slots free now. */
    public int free() {
        lock.lock();
        try {
            return capacity - inFlight;
        } finally {
            lock.unlock();
        }
    }

    private MetaBuffer take(int frame, long fileOffset, int payloadLength, long buffer, FileMapping mapping) {
        if (!mapping.retain()) {
            throw new IllegalStateException("mapping of " + mapping.range() + " is already unmapped");
        }
        inFlight++;
        return new MetaBuffer(this, frame, fileOffset, payloadLength, buffer, mapping);
    }

    void released(MetaBuffer buffer) {
        lock.lock();
        try {
            inFlight--;
            slotFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
