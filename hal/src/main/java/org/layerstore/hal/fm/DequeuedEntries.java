// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.MemorySegment;

import org.layerstore.hal.dpaa.FrameDescriptor;

/**
 * A reusable native array of dequeued entries that each carry a frame descriptor at {@code fdOffset};
 * the part {@link Confirmations} and {@link Rejections} share. Not thread-safe.
 */
abstract class DequeuedEntries {

    private final MemorySegment entries;
    private final long entryBytes;
    private final long fdOffset;
    private final int capacity;
    private final FrameDescriptor view;
    private int count;

    DequeuedEntries(MemorySegment entries, long entryBytes, long fdOffset, int capacity) {
        this.entries = entries;
        this.entryBytes = entryBytes;
        this.fdOffset = fdOffset;
        this.capacity = capacity;
        this.view = FrameDescriptor.at(entries.asSlice(fdOffset, FrameDescriptor.BYTES), 0);
    }

    static int checkCapacity(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        return capacity;
    }

    public int capacity() {
        return capacity;
    }

    /** How many entries the last dequeue delivered. */
    public int count() {
        return count;
    }

    /** A view of descriptor {@code i}; the same view object is moved on every call. */
    public FrameDescriptor descriptor(int i) {
        return view.moveTo(entry(i).asSlice(fdOffset, FrameDescriptor.BYTES), 0);
    }

    MemorySegment segment() {
        return entries;
    }

    void delivered(int n) {
        count = n;
    }

    MemorySegment entry(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("entry " + i + " of " + count + " dequeued");
        }
        return entries.asSlice(i * entryBytes, entryBytes);
    }
}
