// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import java.util.Arrays;

/**
 * The frames a send by physical address builds for one file range (what {@code layerstore inspect} shows), as compact parallel arrays (a 1 GiB range is
 * about 740,000 frames, so no object per frame): frame {@code f} is one TCP segment carrying
 * {@link #payloadLength(int)} bytes of the file from {@link #fileOffset(int)}, held by payload entries
 * {@code firstEntry(f) .. firstEntry(f) + entryCount(f) - 1}, each a physical address and a length.
 * The header buffer is not an entry here: it is built per connection when the frame is sent.
 */
public final class FramePlan {

    private int frames;
    private long[] fileOffsets;
    private int[] payloadLengths;
    private int[] firstEntries;
    private byte[] entryCounts;
    private boolean[] bounced;
    private int entries;
    private long[] entryAddresses;
    private int[] entryLengths;
    private final int segmentPayload;
    private long payloadBytes;

    FramePlan(int expectedFrames, int segmentPayload) {
        int capacity = Math.max(16, expectedFrames);
        fileOffsets = new long[capacity];
        payloadLengths = new int[capacity];
        firstEntries = new int[capacity];
        entryCounts = new byte[capacity];
        bounced = new boolean[capacity];
        entryAddresses = new long[capacity + capacity / 4];
        entryLengths = new int[capacity + capacity / 4];
        this.segmentPayload = segmentPayload;
    }

    void addEntry(long address, int length) {
        if (entries == entryAddresses.length) {
            entryAddresses = Arrays.copyOf(entryAddresses, entries * 2);
            entryLengths = Arrays.copyOf(entryLengths, entries * 2);
        }
        entryAddresses[entries] = address;
        entryLengths[entries] = length;
        entries++;
    }

    void addFrame(long fileOffset, int payloadLength, int firstEntry, int entryCount, boolean bounce) {
        if (frames == fileOffsets.length) {
            int grown = frames * 2;
            fileOffsets = Arrays.copyOf(fileOffsets, grown);
            payloadLengths = Arrays.copyOf(payloadLengths, grown);
            firstEntries = Arrays.copyOf(firstEntries, grown);
            entryCounts = Arrays.copyOf(entryCounts, grown);
            bounced = Arrays.copyOf(bounced, grown);
        }
        fileOffsets[frames] = fileOffset;
        payloadLengths[frames] = payloadLength;
        firstEntries[frames] = firstEntry;
        entryCounts[frames] = (byte) entryCount;
        bounced[frames] = bounce;
        payloadBytes += payloadLength;
        frames++;
    }

    public int frameCount() {
        return frames;
    }

    public int entryCount() {
        return entries;
    }

    /** The largest payload one frame of this plan carries (the segment size it was planned with). */
    public int segmentPayload() {
        return segmentPayload;
    }

    public long payloadBytes() {
        return payloadBytes;
    }

    public long fileOffset(int frame) {
        return fileOffsets[frame];
    }

    public int payloadLength(int frame) {
        return payloadLengths[frame];
    }

    public int firstEntry(int frame) {
        return firstEntries[frame];
    }

    public int entryCount(int frame) {
        return entryCounts[frame];
    }

    /**
     * True when the frame cannot be sent from its pages as they lie (erratum A050385) and is copied
     * into one contiguous DMA buffer, header included, and sent with a contiguous descriptor.
     */
    public boolean bounced(int frame) {
        return bounced[frame];
    }

    public long entryAddress(int entry) {
        return entryAddresses[entry];
    }

    public int entryLength(int entry) {
        return entryLengths[entry];
    }

    /** Frames that are sent as contiguous descriptors (bounced ones). */
    public int contiguousFrames() {
        int n = 0;
        for (int f = 0; f < frames; f++) {
            if (bounced[f]) {
                n++;
            }
        }
        return n;
    }
}
