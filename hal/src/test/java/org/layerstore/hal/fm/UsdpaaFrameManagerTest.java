// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.layerstore.hal.HalException;
import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.dpaa.BmBuffer;
import org.layerstore.hal.dpaa.FrameDescriptor;
import org.layerstore.hal.libc.Errno;

/**
 * The mapping of the FrameManager interface onto the usdpaa C API: which call each method makes with
 * which arguments, and what each errno becomes. The C API's behaviour on the portals is the C tests'
 * (test_usdpaa.c, against a fake kernel and a fake QMan/BMan); here a recording portal stands at that
 * boundary, as no QMan exists on a build host.
 */
class UsdpaaFrameManagerTest {

    private static final int CONFIRM_FQID = 0x200;
    private static final UsdpaaTxPort PORT_2 = new UsdpaaTxPort(2, 0x3a0, 0x802);

    /** Records each call and answers what the test sets. */
    private static final class RecordingPortal implements UsdpaaPortal {
        final List<String> calls = new ArrayList<>();
        int answer;
        int closes;

        private int call(String c) {
            calls.add(c);
            return answer;
        }

        @Override
        public int pool() {
            return 0x20;
        }

        @Override
        public int createConfirmQueue(int contextB) {
            return call("confirm " + Integer.toHexString(contextB));
        }

        @Override
        public int createTxQueue(int txFqid, int channel, int confirmFqid, int taildrop) {
            return call("tx " + Integer.toHexString(txFqid) + " " + Integer.toHexString(channel) + " "
                    + Integer.toHexString(confirmFqid) + " " + taildrop);
        }

        @Override
        public int enqueue(int fqid, MemorySegment descriptors, int count) {
            return call("enqueue " + Integer.toHexString(fqid) + " " + count);
        }

        @Override
        public int dequeue(MemorySegment entries, int max) {
            return call("dequeue " + max);
        }

        @Override
        public int messages(MemorySegment entries, int max) {
            return call("messages " + max);
        }

        @Override
        public int release(int bpid, MemorySegment buffers, int count) {
            return call("release " + bpid + " " + count);
        }

        @Override
        public int acquire(int bpid, MemorySegment buffers, int count) {
            return call("acquire " + bpid + " " + count);
        }

        @Override
        public void close() {
            closes++;
        }
    }

    private final RecordingPortal portal = new RecordingPortal();
    private final UsdpaaFrameManager fm = new UsdpaaFrameManager(portal, FrameManagerConfig.defaults(2),
            List.of(PORT_2));

    private static final TxQueueOptions FMAN_RELEASES = TxQueueOptions.NONE.fmanReleasesBuffers();

    private int confirmQueue() {
        portal.answer = CONFIRM_FQID;
        return fm.createConfirmQueue(0xC0FFEE01);
    }

    @Test
    void queuesAreCreatedOnTheBoardsPortWithItsFqidAndChannel() {
        assertEquals(CONFIRM_FQID, confirmQueue());
        portal.answer = 0;
        assertEquals(0x3a0, fm.createTxQueue(2, CONFIRM_FQID, FMAN_RELEASES.withTaildrop(64)));
        assertEquals(0x3a0, fm.createTxQueue(2, CONFIRM_FQID, FMAN_RELEASES));
        assertEquals(List.of("confirm c0ffee01", "tx 3a0 802 200 64", "tx 3a0 802 200 0"), portal.calls);
        assertEquals("usdpaa", fm.backend());
        assertEquals(0x20, fm.pool());
    }

    @Test
    void aPortTheBoardDidNotGiveIsRefusedWithTheKnownOnes() {
        confirmQueue();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fm.createTxQueue(3, CONFIRM_FQID, FMAN_RELEASES));
        assertEquals("port 3 has no TX frame queue and channel from the board (known: [2])", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fm.bindPort(3, TxTarget.networkInterface("x")));
        fm.bindPort(2, TxTarget.networkInterface("fm1-mac3"));
        assertEquals(List.of("confirm c0ffee01"), portal.calls);
    }

    @Test
    void errnosBecomeExceptionsWithTheirNumberAndAnEmptyPoolIsFalse() {
        portal.answer = -Errno.ENOSPC;
        HalException e = assertThrows(HalException.class, () -> fm.createConfirmQueue(1));
        assertEquals(Errno.ENOSPC, e.errno().code());
        portal.answer = -Errno.EBUSY;
        e = assertThrows(HalException.class, () -> fm.createTxQueue(2, CONFIRM_FQID, FMAN_RELEASES));
        assertEquals(Errno.EBUSY, e.errno().code());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffers = arena.allocate(BmBuffer.BYTES * BmBuffer.BURST_MAX);
            portal.answer = -Errno.ENOMEM;
            assertFalse(fm.acquire(0x20, buffers, 4));
            portal.answer = 0;
            assertTrue(fm.acquire(0x20, buffers, 8));
            fm.release(0x20, buffers, 1);
            portal.answer = -Errno.EINVAL;
            e = assertThrows(HalException.class, () -> fm.release(0x20, buffers, 1));
            assertEquals(Errno.EINVAL, e.errno().code());
            assertThrows(IllegalArgumentException.class, () -> fm.acquire(0x20, buffers, 9));
        }
        assertEquals(List.of("confirm 1", "tx 3a0 802 200 0", "acquire 32 4", "acquire 32 8", "release 32 1",
                "release 32 1"), portal.calls);
    }

    @Test
    void enqueueAndDequeuesPassTheCountsThrough() {
        int confirm = confirmQueue();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(FrameDescriptor.BYTES * 4);
            Confirmations done = Confirmations.allocate(arena, 16);
            Rejections rejected = Rejections.allocate(arena, 8);
            portal.answer = 3;
            assertEquals(3, fm.enqueue(0x3a0, fds, 4));
            portal.answer = 2;
            assertEquals(2, fm.dequeueConfirmations(confirm, done));
            assertEquals(2, done.count());
            portal.answer = 1;
            assertEquals(1, fm.dequeueRejections(rejected));
            assertEquals(1, rejected.count());
            assertThrows(IllegalArgumentException.class, () -> fm.dequeueConfirmations(confirm + 1, done));
            assertThrows(IllegalArgumentException.class, () -> fm.enqueue(0x3a0, fds, 5));
        }
        assertEquals(List.of("confirm c0ffee01", "enqueue 3a0 4", "dequeue 16", "messages 8"), portal.calls);
    }

    @Test
    void whatTheCApiLacksFailsNamingTheMethodAndWhy() {
        confirmQueue();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> fm.createConfirmQueue(2));
        assertTrue(e.getMessage().startsWith("usdpaa createConfirmQueue: a second confirmation queue"),
                e.getMessage());
        List<Executable> missing = List.of(() -> fm.createReceiveQueue(1), () -> fm.receiveOn(2, null),
                () -> fm.createCongestionGroup(1024, true), () -> fm.destroyCongestionGroup(0),
                () -> fm.congestion(0), fm::congestionChanges, () -> fm.routeErrors(2, 5), () -> fm.destroyQueue(5),
                () -> fm.enablePort(2, true), () -> fm.confirmNotifier(CONFIRM_FQID, 1),
                () -> fm.acknowledgeNotification(CONFIRM_FQID), () -> fm.drain(Duration.ofSeconds(1)),
                () -> fm.createPool(8), () -> fm.destroyPool(0x20), () -> fm.poolCount(0x20),
                () -> fm.registerDma(MemorySegment.NULL, new long[0]), () -> fm.unregisterDma(null), fm::counters,
                () -> fm.createTxQueue(2, CONFIRM_FQID, FMAN_RELEASES.inCongestionGroup(1)),
                () -> fm.createTxQueue(2, CONFIRM_FQID),
                () -> fm.createTxQueue(2, CONFIRM_FQID, new TxQueueOptions(0, TxQueueOptions.NO_GROUP,
                        FMAN_RELEASES.contextA() | TxQueueOptions.CONTEXT_A_OVFQ)));
        for (Executable call : missing) {
            e = assertThrows(UnsupportedOperationException.class, call);
            assertTrue(e.getMessage().startsWith("usdpaa "), e.getMessage());
        }
        assertEquals(List.of("confirm c0ffee01"), portal.calls);
        assertEquals(hal_h.LSH_USDPAA_TX_CONTEXT_A(), 0x1e00000080000000L);
    }

    @Test
    void closeClosesTheHandleOnceAndNothingRunsAfter() {
        fm.close();
        fm.close();
        assertEquals(1, portal.closes);
        assertThrows(IllegalStateException.class, () -> fm.createConfirmQueue(1));
    }
}
