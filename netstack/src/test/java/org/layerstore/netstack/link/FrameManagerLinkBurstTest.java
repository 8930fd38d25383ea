// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.layerstore.hal.fm.FrameManager;
import org.layerstore.hal.fm.FrameManagerConfig;

/**
 * The link's TX bursts, on an emulated FMan port wired to a veth end: the frames sent between two flushes go to the
 * portal in one enqueue call, a burst longer than {@link FrameManagerLink#TX_BURST} goes as it fills, and a burst the
 * TX ring cannot take whole waits for confirmations and then goes on where the ring stopped, every frame sent once and
 * every buffer back once (the link fails on a confirmation out of its order; a second release would overfill the
 * BMan pool, which holds exactly the link's buffers).
 */
class FrameManagerLinkBurstTest {

    private static final int BUFFERS = 128;
    /** The TX ring of the test of a full ring: one EQCR refill past the EQCR's 7 commands. */
    private static final int RING = 8;

    private EmulatedPort port;
    private FrameManager portal;
    private FrameManagerLink link;
    private MemorySegment header;

    /** The link on a port whose TX queues hold {@code ringDepth} frames and whose confirmations never stall the FMan. */
    private void open(int ringDepth) throws IOException {
        port = EmulatedPort.open(FrameManagerConfig.defaults(EmulatedPort.FMAN_PORT).withRingDepth(ringDepth)
                .withDequeueDepth(BUFFERS), "lspb");
        portal = port.portal;
        link = FrameManagerLink.open(portal, EmulatedPort.FMAN_PORT, port.veth.stackEnd, port.pagemap, BUFFERS);
        header = port.localFrame(60);
    }

    @AfterEach
    void close() throws Exception {
        InOrder.close(link, port);
    }

    @Test
    void theFramesOfATurnGoInOneEnqueueCallAndALongBurstInOneCallPerFill() throws IOException {
        open(2 * FrameManagerLink.TX_BURST);
        portal.enablePort(EmulatedPort.FMAN_PORT, false); // nothing leaves, so the ring never limits a call
        for (int i = 0; i < RING - 1; i++) {
            assertTrue(link.send(header, List.of()));
        }
        link.flush();
        assertEquals(1, link.txBursts(), "seven frames, one call");
        for (int i = 0; i < FrameManagerLink.TX_BURST + 1; i++) {
            assertTrue(link.send(header, List.of()), "frame " + i + " joins a burst");
        }
        assertEquals(2, link.txBursts(), "a full burst goes as it fills");
        link.flush();
        assertEquals(3, link.txBursts(), "and the one frame after it at the flush");
        portal.enablePort(EmulatedPort.FMAN_PORT, true);
        assertTrue(portal.drain(Duration.ofSeconds(10)));
        link.receive(frame -> { }, 0);
        long sent = RING - 1 + FrameManagerLink.TX_BURST + 1;
        assertEquals(sent, portal.counters().frames(), "every frame on the wire, once");
        assertEquals(0, link.unsentFrames());
        assertEquals(BUFFERS, link.freeTxBuffers(), "every buffer back, each once");
    }

    @Test
    void aBurstTheRingCannotTakeWholeWaitsForConfirmationsAndGoesOnInOrder() throws IOException, InterruptedException {
        open(RING);
        portal.enablePort(EmulatedPort.FMAN_PORT, false);
        int frames = 3 * RING;
        for (int i = 0; i < frames; i++) {
            assertTrue(link.send(header, List.of()));
        }
        Thread restart = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            portal.enablePort(EmulatedPort.FMAN_PORT, true); // the port runs again while the flush waits for the ring
        });
        link.flush();
        restart.join();
        assertTrue(link.ringFullWaits() >= 1, "the stalled port's ring took " + RING + " and then was full");
        assertTrue(link.txBursts() >= 2, "the rest went after the wait");
        assertEquals(0, link.unsentFrames(), "nothing given up: the port came back within the wait");
        assertTrue(portal.drain(Duration.ofSeconds(10)));
        link.receive(frame -> { }, 0);
        assertEquals(frames, portal.counters().frames(), "every frame on the wire, once");
        assertEquals(BUFFERS, link.freeTxBuffers(), "every buffer back, each once");
    }
}
