// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.layerstore.datapath.pagemap.PagemapReader;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.hal.fm.FrameManager;
import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.hal.fm.FrameManagerConfig;
import org.layerstore.hal.libc.Libc;

/**
 * The link's side of its TX queue's congestion group, on an emulated FMan port wired to a veth end: with the
 * port stalled, frames beyond the group's threshold are rejected by QMan and each gives its TX buffer back
 * exactly once; a send while the group is congested waits for it to leave congestion (and is refused when it
 * does not); once the port runs again every buffer is back, none twice (a second release would overfill
 * the BMan pool, which holds exactly the link's buffers).
 */
class FrameManagerLinkCongestionTest {

    private static final int FMAN_PORT = 1;
    private static final int BUFFERS = 16;
    private static final int FRAME = 100;

    private VethPair veth;
    private FrameManagers portals;
    private FrameManager portal;
    private PagemapReader pagemap;
    private FrameManagerLink link;
    private Arena arena;
    private MemorySegment header;

    @BeforeEach
    void open() throws IOException {
        VethPair.assumeUsable();
        portals = FrameManagers.choose(FrameManagerBackends.EMULATED,
                FrameManagerConfig.defaults(FMAN_PORT).withSmmu(true).withRingDepth(64));
        assumeTrue(portals.backend().available(), portals.backend()::reason);
        veth = VethPair.create("lspc");
        portal = portals.open().frameManager(); // this test's thread's own portal
        pagemap = PagemapReader.self((int) Libc.pageSize());
        link = FrameManagerLink.open(portal, FMAN_PORT, veth.stackEnd, pagemap, BUFFERS, 3L * FRAME);
        arena = Arena.ofConfined();
        // A broadcast frame of a local experimental EtherType (IEEE 802 0x88B5): the peer's kernel drops it.
        header = arena.allocate(FRAME);
        for (int i = 0; i < 6; i++) {
            header.set(ValueLayout.JAVA_BYTE, i, (byte) 0xFF);
        }
        header.set(ValueLayout.JAVA_BYTE, 12, (byte) 0x88);
        header.set(ValueLayout.JAVA_BYTE, 13, (byte) 0xB5);
    }

    @AfterEach
    void close() throws Exception {
        InOrder.close(link, portals, pagemap, arena, veth);
    }

    @Test
    void rejectedFramesGiveTheirBuffersBackOnceAndACongestedQueueHoldsSendsUntilItDrains() {
        portal.enablePort(FMAN_PORT, false);
        for (int i = 0; i < 6; i++) {
            assertTrue(link.send(header, List.of()), "QMan took frame " + i + " off the EQCR");
        }
        link.receive(frame -> { }, 0);
        assertEquals(2, link.txRejections(), "300 bytes are the threshold: the 4th frame congests, the 5th and 6th drop");
        assertEquals(BUFFERS - 4, link.freeTxBuffers(), "the rejected frames' buffers are back, the queued ones not");

        assertFalse(link.send(header, List.of()), "the group stays congested while the port is stalled");
        assertEquals(1, link.congestionWaits());
        assertEquals(BUFFERS - 4, link.freeTxBuffers(), "a refused frame gives its buffer back too");

        portal.enablePort(FMAN_PORT, true);
        assertTrue(portal.drain(Duration.ofSeconds(10)));
        link.receive(frame -> { }, 0);
        assertEquals(BUFFERS, link.freeTxBuffers(), "every buffer back, each once");
        assertTrue(link.send(header, List.of()), "out of congestion, the queue sends again");
        assertEquals(1, link.congestionWaits());
        assertTrue(portal.drain(Duration.ofSeconds(10)));
        link.receive(frame -> { }, 0);
        assertEquals(BUFFERS, link.freeTxBuffers());
        assertEquals(2, link.txRejections());
        assertEquals(2, portal.counters().cgrChanges(), "into congestion and out, each notified once");
    }
}
