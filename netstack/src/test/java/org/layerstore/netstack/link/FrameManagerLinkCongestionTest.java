// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.layerstore.hal.fm.FrameManager;
import org.layerstore.hal.fm.FrameManagerConfig;

/**
 * The link's side of its TX queue's congestion group, on an emulated FMan port wired to a veth end: with the
 * port stalled, frames beyond the group's threshold are rejected by QMan and each gives its TX buffer back
 * exactly once; a send while the group is congested waits for it to leave congestion (and is refused when it
 * does not); once the port runs again every buffer is back, none twice (a second release would overfill
 * the BMan pool, which holds exactly the link's buffers).
 */
class FrameManagerLinkCongestionTest {

    private static final int BUFFERS = 16;
    private static final int FRAME = 100;

    private EmulatedPort port;
    private FrameManager portal;
    private FrameManagerLink link;
    private MemorySegment header;

    @BeforeEach
    void open() throws IOException {
        port = EmulatedPort.open(FrameManagerConfig.defaults(EmulatedPort.FMAN_PORT).withRingDepth(64), "lspc");
        portal = port.portal;
        link = FrameManagerLink.open(portal, EmulatedPort.FMAN_PORT, port.veth.stackEnd, port.pagemap, BUFFERS,
                3L * FRAME);
        header = port.localFrame(FRAME);
    }

    @AfterEach
    void close() throws Exception {
        InOrder.close(link, port);
    }

    @Test
    void rejectedFramesGiveTheirBuffersBackOnceAndACongestedQueueHoldsSendsUntilItDrains() {
        portal.enablePort(EmulatedPort.FMAN_PORT, false);
        for (int i = 0; i < 6; i++) {
            assertTrue(link.send(header, List.of()), "frame " + i + " joins the burst");
        }
        assertEquals(0, link.txBursts(), "nothing goes to the portal before the flush");
        link.flush();
        assertEquals(1, link.txBursts(), "the six frames go in one enqueue call");
        link.receive(frame -> { }, 0);
        assertEquals(2, link.txRejections(), "300 bytes are the threshold: the 4th frame congests, the 5th and 6th drop");
        assertEquals(BUFFERS - 4, link.freeTxBuffers(), "the rejected frames' buffers are back, the queued ones not");

        assertTrue(link.send(header, List.of()), "a frame joins the next burst");
        link.flush();
        assertEquals(1, link.congestionWaits(), "the group stays congested while the port is stalled");
        assertEquals(1, link.unsentFrames(), "so the burst is given up after the wait");
        assertEquals(BUFFERS - 4, link.freeTxBuffers(), "an unsent frame gives its buffer back too");

        portal.enablePort(EmulatedPort.FMAN_PORT, true);
        assertTrue(portal.drain(Duration.ofSeconds(10)));
        link.receive(frame -> { }, 0);
        assertEquals(BUFFERS, link.freeTxBuffers(), "every buffer back, each once");
        assertTrue(link.send(header, List.of()));
        link.flush();
        assertEquals(1, link.congestionWaits(), "out of congestion, the queue sends again");
        assertEquals(1, link.unsentFrames());
        assertTrue(portal.drain(Duration.ofSeconds(10)));
        link.receive(frame -> { }, 0);
        assertEquals(BUFFERS, link.freeTxBuffers());
        assertEquals(2, link.txRejections());
        assertEquals(2, portal.counters().cgrChanges(), "into congestion and out, each notified once");
        assertEquals(5, portal.counters().frames(), "the four queued before the congestion and the last");
    }
}
