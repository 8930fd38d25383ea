// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import java.util.List;

import org.layerstore.datapath.DatapathLimits;

/**
 * Software TCP segmentation (DPAA1 has no TSO): cuts physical runs into frames of one TCP segment each.
 * A frame carries at most {@code segmentPayload} bytes (the connection's MSS, within the MAC's max frame)
 * in at most {@link DatapathLimits#maxPayloadEntries()} payload entries (the header buffer takes the
 * table's first entry); a frame that would need more entries ends early.
 */
public final class Segmenter {

    private final DatapathLimits limits;

    public Segmenter(DatapathLimits limits) {
        this.limits = limits;
    }

    /** The payload of one frame for a connection with this MSS. */
    public int segmentPayload(int connectionMss) {
        if (connectionMss <= 0) {
            throw new IllegalArgumentException("MSS " + connectionMss + " is not positive");
        }
        return Math.min(connectionMss, limits.maxSegmentPayload());
    }

    /**
     * A cursor over the frames for the bytes the runs hold, in order.
     *
     * @throws IllegalArgumentException when a run lies beyond the frame manager's address width
     */
    public FrameCursor frames(List<PhysicalRun> runs, int connectionMss) {
        int payload = segmentPayload(connectionMss);
        for (PhysicalRun run : runs) {
            if (!limits.addressable(run.address(), run.length())) {
                throw new IllegalArgumentException("physical run 0x" + Long.toHexString(run.address()) + "+" + run.length()
                        + " is beyond the frame manager's " + limits.physicalAddressBits() + "-bit addresses");
            }
        }
        // A050385 wants every non-last fragment to be a multiple of 256 bytes. The header buffer is the
        // first fragment of every S/G frame and holds 54 bytes, so no S/G frame can meet it: with the
        // erratum each frame is bounced into one contiguous buffer, as the Linux driver's workaround does.
        return new FrameCursor(List.copyOf(runs), payload, limits.maxPayloadEntries(), limits.erratumA050385());
    }

    /**
     * Every frame for the bytes the runs hold, materialized (for {@code layerstore inspect}; a
     * {@link #frames cursor} walks them without materializing).
     *
     * @throws IllegalArgumentException when a run lies beyond the frame manager's address width
     */
    public FramePlan plan(List<PhysicalRun> runs, int connectionMss) {
        FrameCursor cursor = frames(runs, connectionMss);
        long total = 0;
        for (PhysicalRun run : runs) {
            total += run.length();
        }
        FramePlan plan = new FramePlan((int) Math.min(Integer.MAX_VALUE - 8, total / cursor.segmentPayload() + 1),
                cursor.segmentPayload());
        while (cursor.next()) {
            int firstEntry = plan.entryCount();
            for (int e = 0; e < cursor.entryCount(); e++) {
                plan.addEntry(cursor.entryAddress(e), cursor.entryLength(e));
            }
            plan.addFrame(cursor.fileOffset(), cursor.payloadLength(), firstEntry, cursor.entryCount(), cursor.bounced());
        }
        return plan;
    }
}
