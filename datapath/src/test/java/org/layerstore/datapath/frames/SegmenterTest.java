// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerstore.datapath.DatapathLimits;

class SegmenterTest {

    private static final DatapathLimits LS1046A = DatapathLimits.ls1046a();

    @Test
    void theDefaultMacFrameCarries1460PayloadBytesPerSegment() {
        assertEquals(1500, LS1046A.mtuBytes());
        assertEquals(1460, new Segmenter(LS1046A).segmentPayload(65_000));
        assertEquals(536, new Segmenter(LS1046A).segmentPayload(536));
        assertEquals(9600 - 22 - 40, new Segmenter(LS1046A.withMacMaxFrameBytes(9600)).segmentPayload(65_000));
    }

    @Test
    void framesCoverTheRunsInOrderWithinTheSegmentSize() {
        List<PhysicalRun> runs = List.of(new PhysicalRun(0x1000, 3000, 0), new PhysicalRun(0x9000, 100, 3000),
                new PhysicalRun(0x20000, 5000, 3100));
        FramePlan plan = new Segmenter(LS1046A).plan(runs, 1460);
        assertEquals(8100, plan.payloadBytes());
        assertEquals(6, plan.frameCount());
        long expectedOffset = 0;
        for (int f = 0; f < plan.frameCount(); f++) {
            assertEquals(expectedOffset, plan.fileOffset(f));
            assertTrue(plan.payloadLength(f) <= 1460);
            int sum = 0;
            for (int e = plan.firstEntry(f); e < plan.firstEntry(f) + plan.entryCount(f); e++) {
                sum += plan.entryLength(e);
            }
            assertEquals(plan.payloadLength(f), sum);
            expectedOffset += plan.payloadLength(f);
        }
        // frame 2 spans the end of the first run, all of the second and the start of the third
        assertEquals(3, plan.entryCount(2));
        assertEquals(0x1000 + 2920, plan.entryAddress(plan.firstEntry(2)));
        assertEquals(0x9000, plan.entryAddress(plan.firstEntry(2) + 1));
        assertEquals(0x20000, plan.entryAddress(plan.firstEntry(2) + 2));
    }

    @Test
    void aFrameEndsEarlyRatherThanUseMoreThanFifteenPayloadEntries() {
        List<PhysicalRun> runs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            runs.add(new PhysicalRun(0x100000L * (i + 1), 50, 50L * i));
        }
        FramePlan plan = new Segmenter(LS1046A).plan(runs, 1460);
        assertEquals(15, plan.entryCount(0));
        assertEquals(750, plan.payloadLength(0));
        assertEquals(List.of(15, 15, 10), List.of(plan.entryCount(0), plan.entryCount(1), plan.entryCount(2)));
        assertEquals(2000, plan.payloadBytes());
    }

    @Test
    void erratumA050385BouncesEveryFrameIntoAContiguousBuffer() {
        List<PhysicalRun> runs = List.of(new PhysicalRun(0x1000, 4096, 0));
        assertEquals(0, new Segmenter(LS1046A).plan(runs, 1460).contiguousFrames());
        FramePlan ls1043a = new Segmenter(DatapathLimits.ls1043a()).plan(runs, 1460);
        assertEquals(ls1043a.frameCount(), ls1043a.contiguousFrames());
        assertTrue(ls1043a.bounced(0));
    }

    @Test
    void runsBeyondFortyBitAddressesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Segmenter(LS1046A)
                .plan(List.of(new PhysicalRun((1L << 40) - 10, 20, 0)), 1460));
        assertTrue(e.getMessage().contains("40-bit"), e.getMessage());
    }
}
