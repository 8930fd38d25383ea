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
     * Plans the frames for the bytes the runs hold, in order.
     *
     * @throws IllegalArgumentException when a run lies beyond the frame manager's address width
     */
    public FramePlan plan(List<PhysicalRun> runs, int connectionMss) {
        int payload = segmentPayload(connectionMss);
        long total = 0;
        for (PhysicalRun run : runs) {
            if (!limits.addressable(run.address(), run.length())) {
                throw new IllegalArgumentException("physical run 0x" + Long.toHexString(run.address()) + "+" + run.length()
                        + " is beyond the frame manager's " + limits.physicalAddressBits() + "-bit addresses");
            }
            total += run.length();
        }
        FramePlan plan = new FramePlan((int) Math.min(Integer.MAX_VALUE - 8, total / payload + 1), payload);
        int maxEntries = limits.maxPayloadEntries();
        // A050385 wants every non-last fragment to be a multiple of 256 bytes. The header buffer is the
        // first fragment of every S/G frame and holds 54 bytes, so no S/G frame can meet it: with the
        // erratum each frame is bounced into one contiguous buffer, as the Linux driver's workaround does.
        boolean bounceForErratum = limits.erratumA050385();
        int runIndex = 0;
        long runConsumed = 0;
        long fileOffset = runs.isEmpty() ? 0 : runs.getFirst().fileOffset();
        while (runIndex < runs.size()) {
            int firstEntry = plan.entryCount();
            int frameBytes = 0;
            int entries = 0;
            while (frameBytes < payload && entries < maxEntries && runIndex < runs.size()) {
                PhysicalRun run = runs.get(runIndex);
                int take = (int) Math.min(payload - frameBytes, run.length() - runConsumed);
                long address = run.address() + runConsumed;
                plan.addEntry(address, take);
                entries++;
                frameBytes += take;
                runConsumed += take;
                if (runConsumed == run.length()) {
                    runIndex++;
                    runConsumed = 0;
                }
            }
            plan.addFrame(fileOffset, frameBytes, firstEntry, entries, bounceForErratum);
            fileOffset += frameBytes;
        }
        return plan;
    }
}
