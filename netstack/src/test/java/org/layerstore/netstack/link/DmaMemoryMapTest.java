// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.layerstore.hal.fm.BackendAvailability;
import org.layerstore.hal.fm.EmulatedFrameManager;
import org.layerstore.hal.fm.FrameManagerConfig;
import org.layerstore.hal.libc.Libc;

/**
 * Virtual-to-bus translation of a link's DMA memory, on an emulated portal in physical mode with page
 * frames chosen by the test: pages whose frames follow each other are one S/G run, others split; bytes
 * outside every region, or needing more runs than an S/G table has, are not DMA-able.
 */
class DmaMemoryMapTest {

    private static final long[] FRAMES = {0x100, 0x101, 0x200, 0x300};

    private Arena arena;
    private EmulatedFrameManager portal;
    private DmaMemoryMap map;
    private MemorySegment pages;
    private int page;

    @BeforeEach
    void open() {
        BackendAvailability availability = EmulatedFrameManager.availability();
        assumeTrue(availability.available(), availability.reason());
        page = (int) Libc.pageSize();
        arena = Arena.ofShared();
        portal = EmulatedFrameManager.open(FrameManagerConfig.defaults(1));
        map = new DmaMemoryMap(portal, page);
        pages = arena.allocate(4L * page, page);
    }

    @AfterEach
    void close() {
        if (portal != null) {
            portal.close();
            arena.close();
        }
    }

    @Test
    void pagesWithFollowingFramesAreOneRunAndOthersSplit() {
        DmaMemoryMap.Registration r = map.register(pages, FRAMES);
        long[] addresses = new long[16];
        int[] lengths = new int[16];
        // From the middle of page 0 to the middle of page 2: frames 0x100-0x101 are one run, 0x200 another.
        int n = map.runs(pages.asSlice(page / 2, 2L * page), addresses, lengths, 0);
        assertEquals(2, n);
        assertEquals(0x100L * page + page / 2, addresses[0]);
        assertEquals(page + page / 2, lengths[0]);
        assertEquals(0x200L * page, addresses[1]);
        assertEquals(page / 2, lengths[1]);
        assertEquals(4L * page, map.registeredBytes());
        map.unregister(r);
        assertEquals(0, map.registeredBytes());
        assertEquals(-1, map.runs(pages.asSlice(0, 10), addresses, lengths, 0), "unregistered: not DMA-able");
    }

    @Test
    void bytesOutsideEveryRegionOrNeedingTooManyRunsAreNotDmaAble() {
        map.register(pages.asSlice(0, 2L * page), Arrays.copyOf(FRAMES, 2));
        long[] addresses = new long[1];
        int[] lengths = new int[1];
        assertEquals(-1, map.runs(pages.asSlice(2L * page, 100), addresses, lengths, 0), "past the region");
        assertEquals(-1, map.runs(pages.asSlice(page, 2L * page), addresses, lengths, 0), "across its end");
        assertEquals(1, map.runs(pages.asSlice(0, 2L * page), addresses, lengths, 0), "one run fits");
        assertArrayEquals(new int[] {2 * page}, lengths);
        map.register(pages.asSlice(2L * page, 2L * page), Arrays.copyOfRange(FRAMES, 2, 4));
        assertEquals(-1, map.runs(pages.asSlice(2L * page, 2L * page), addresses, lengths, 0),
                "two runs do not fit one entry");
    }
}
