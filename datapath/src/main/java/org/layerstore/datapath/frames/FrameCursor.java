// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import java.util.List;

/**
 * Walks the frames of a range one at a time without allocating: after {@link #next()} the accessors
 * describe the current frame (one TCP segment) and its payload entries. So a 1 GiB range never needs
 * 740,000 frame objects (the descriptor-building benchmark walks one). Not thread-safe; one cursor per walk.
 */
public final class FrameCursor {

    private final List<PhysicalRun> runs;
    private final int segmentPayload;
    private final int maxEntries;
    private final boolean bounce;
    private final long[] entryAddresses;
    private final int[] entryLengths;
    private int runIndex;
    private long runConsumed;
    private long nextFileOffset;
    private int frame = -1;
    private long fileOffset;
    private int payloadLength;
    private int entries;

    FrameCursor(List<PhysicalRun> runs, int segmentPayload, int maxEntries, boolean bounce) {
        this.runs = runs;
        this.segmentPayload = segmentPayload;
        this.maxEntries = maxEntries;
        this.bounce = bounce;
        this.entryAddresses = new long[maxEntries];
        this.entryLengths = new int[maxEntries];
        this.nextFileOffset = runs.isEmpty() ? 0 : runs.getFirst().fileOffset();
    }

    /** Moves to the next frame; false when every byte of the runs is in a frame already. */
    public boolean next() {
        if (runIndex == runs.size()) {
            return false;
        }
        int bytes = 0;
        int count = 0;
        while (bytes < segmentPayload && count < maxEntries && runIndex < runs.size()) {
            PhysicalRun run = runs.get(runIndex);
            long left = run.length() - runConsumed;
            int take = (int) Math.min(segmentPayload - bytes, left);
            entryAddresses[count] = run.address() + runConsumed;
            entryLengths[count] = take;
            count++;
            bytes += take;
            if (take == left) {
                runIndex++;
                runConsumed = 0;
            } else {
                runConsumed += take;
            }
        }
        frame++;
        fileOffset = nextFileOffset;
        payloadLength = bytes;
        entries = count;
        nextFileOffset += bytes;
        return true;
    }

    /** The current frame's number, from 0. */
    public int frame() {
        return frame;
    }

    public long fileOffset() {
        return fileOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    public int entryCount() {
        return entries;
    }

    public long entryAddress(int entry) {
        return entryAddresses[entry];
    }

    public int entryLength(int entry) {
        return entryLengths[entry];
    }

    /** True when the frame is copied into one contiguous buffer (erratum A050385) instead of gathered. */
    public boolean bounced() {
        return bounce;
    }

    /** The largest payload of a frame. */
    public int segmentPayload() {
        return segmentPayload;
    }
}
