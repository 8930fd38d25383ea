// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.hal.HalException;
import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.dpaa.BmBuffer;
import org.layerstore.hal.dpaa.FdFormat;
import org.layerstore.hal.dpaa.FrameDescriptor;
import org.layerstore.hal.dpaa.SgEntry;
import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.Libc;

/**
 * The frame-manager contract every backend meets: frames reach the wire intact, every format rule comes
 * back as its exact status bit or a rejection, flow control is a return value. A backend's test class
 * extends this and says how to open a portal.
 */
abstract class FrameManagerContract {

    static final int PORT = 5;
    static final int PAGES = 32;
    static final Duration DRAIN = Duration.ofSeconds(10);

    /** Opens a portal of the backend under test. */
    abstract FrameManager open(FrameManagerConfig config);

    @TempDir
    Path dir;

    Arena arena;
    FrameManager fm;
    PcapWire wire;
    MemorySegment memory;
    DmaRegion region;
    int confirmQueue;
    int txQueue;
    MemorySegment descriptors;
    FrameDescriptor fd;
    Confirmations confirmations;

    @BeforeEach
    void openPortal() {
        arena = Arena.ofShared();
        descriptors = arena.allocate(FrameDescriptor.BYTES * 16, 8);
        fd = FrameDescriptor.at(descriptors, 0);
        confirmations = Confirmations.allocate(arena, 16);
        memory = arena.allocate(PAGES * Libc.pageSize(), Libc.pageSize());
        start(FrameManagerConfig.defaults(PORT).withSmmu(true));
    }

    void start(FrameManagerConfig config) {
        if (fm != null) {
            stop();
        }
        fm = open(config);
        wire = PcapWire.in(dir);
        confirmQueue = fm.createConfirmQueue(0xC0FFEE);
        txQueue = fm.createTxQueue(PORT, confirmQueue);
        fm.bindPort(PORT, TxTarget.pcap(wire.fd()));
        // Physical mode needs page frame numbers: the test that uses it registers the memory itself.
        region = config.smmu() ? fm.registerDma(memory, null) : null;
    }

    void stop() {
        fm.close();
        wire.close();
        fm = null;
    }

    @AfterEach
    void closePortal() {
        stop();
        arena.close();
    }

    long bus(long offset) {
        return region.busBase() + offset;
    }

    /** Enqueues descriptor 0, waits for its confirmation and returns its status. */
    int send() {
        assertEquals(1, fm.enqueue(txQueue, descriptors, 1));
        assertTrue(fm.drain(DRAIN), "the hardware did not finish");
        assertEquals(1, fm.dequeueConfirmations(confirmQueue, confirmations));
        assertEquals(confirmQueue, confirmations.fqid(0));
        assertEquals(0xC0FFEE, confirmations.contextB(0));
        return confirmations.status(0);
    }

    /** The TCP payload the wire carried since the last call (every frame checked as a receiving host would). */
    byte[] received() {
        return wire.payloads();
    }

    /** A TCP segment with DTC in one contiguous buffer at memory offset {@code at}; returns its length. */
    int contiguousSegment(long at, int seq, byte[] payload) {
        MemorySegment buffer = memory.asSlice(at);
        TestFrames.parseResults(buffer);
        int headers = TestFrames.headers(buffer.asSlice(FrameDescriptor.HEADROOM), seq, payload.length);
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, buffer, FrameDescriptor.HEADROOM + headers,
                payload.length);
        int length = headers + payload.length;
        fd.contiguous(bus(at), FrameDescriptor.HEADROOM, length).cmd(FrameDescriptor.CMD_RPD | FrameDescriptor.CMD_DTC);
        return length;
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void aContiguousFrameWithChecksumOffloadLeavesWithGoodChecksumsAndIsCounted() {
        byte[] payload = bytes(1000, 1);
        int length = contiguousSegment(0, 7, payload);
        assertEquals(0, send());
        assertArrayEquals(payload, received());
        FrameCounters c = fm.counters();
        assertEquals(1, c.frames());
        assertEquals(length, c.bytes());
        assertEquals(1, c.checksums());
        assertEquals(0, c.wireDrops());
        assertEquals(1, c.confirmations());
    }

    @Test
    void aScatterGatherFrameFromAMappedFileLeavesIntact() throws IOException {
        long page = Libc.pageSize();
        byte[] content = bytes((int) (4 * page), 2);
        Path file = Files.write(dir.resolve("content.bin"), content);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, content.length, arena);
            Libc.mlock(mapped);
            DmaRegion fileRegion = fm.registerDma(mapped, null);
            // Header buffer in registered memory; payload: three runs of the file, the middle one crossing pages.
            TestFrames.parseResults(memory);
            MemorySegment table = memory.asSlice(FrameDescriptor.HEADROOM);
            int headerAt = (int) page;
            int[][] runs = { { 100, 500 }, { (int) page - 200, 400 }, { 3 * (int) page, 300 } };
            int payload = 0;
            for (int[] run : runs) {
                payload += run[1];
            }
            int headers = TestFrames.headers(memory.asSlice(headerAt), 42, payload);
            SgEntry entry = SgEntry.at(table, 0).set(bus(headerAt), 0, headers, false);
            for (int i = 0; i < runs.length; i++) {
                entry.moveTo(table, i + 1).set(fileRegion.busBase() + runs[i][0], 0, runs[i][1], i == runs.length - 1);
            }
            fd.scatterGather(bus(0), FrameDescriptor.HEADROOM, headers + payload)
                    .cmd(FrameDescriptor.CMD_RPD | FrameDescriptor.CMD_DTC);
            assertEquals(0, send());
            byte[] expected = new byte[payload];
            int at = 0;
            for (int[] run : runs) {
                System.arraycopy(content, run[0], expected, at, run[1]);
                at += run[1];
            }
            assertArrayEquals(expected, received());
            assertEquals(4, fm.counters().sgEntries());
            fm.unregisterDma(fileRegion);
            Libc.munlock(mapped);
        }
    }

    @Test
    void aStreamOfScatterGatherFramesLeavesIntactAndInOrder() {
        int slots = 32;
        int slotBytes = 512;
        int headerAt = 256;
        int chunk = 1400;
        long contentBase = 4 * Libc.pageSize();
        int frames = (int) ((memory.byteSize() - contentBase) / chunk);
        byte[] content = bytes(frames * chunk, 10);
        MemorySegment.copy(MemorySegment.ofArray(content), 0, memory, contentBase, content.length);
        int confirmed = 0;
        for (int k = 0; k < frames; k++) {
            // A slot (headroom, S/G table, headers) is reused only once its frame is confirmed.
            for (int round = 0; k - confirmed >= slots && round < 10_000; round++) {
                confirmed += takeConfirmations();
            }
            long slot = (long) (k % slots) * slotBytes;
            MemorySegment buffer = memory.asSlice(slot, slotBytes);
            TestFrames.parseResults(buffer);
            int headers = TestFrames.headers(buffer.asSlice(headerAt), 1 + k * chunk, chunk);
            MemorySegment table = buffer.asSlice(FrameDescriptor.HEADROOM);
            int split = 1 + (k * 37) % (chunk - 1);
            long data = contentBase + (long) k * chunk;
            SgEntry e = SgEntry.at(table, 0).set(bus(slot + headerAt), 0, headers, false);
            e.moveTo(table, 1).set(bus(data), 0, split, false);
            e.moveTo(table, 2).set(bus(data + split), 0, chunk - split, true);
            fd().scatterGather(bus(slot), FrameDescriptor.HEADROOM, headers + chunk)
                    .cmd(FrameDescriptor.CMD_RPD | FrameDescriptor.CMD_DTC);
            int taken = 0;
            for (int round = 0; taken == 0 && round < 10_000; round++) {
                taken = fm.enqueue(txQueue, descriptors, 1);
                if (taken == 0) {
                    confirmed += takeConfirmations();
                }
            }
            assertEquals(1, taken, "the ring stayed full");
        }
        for (int round = 0; confirmed < frames && round < 10_000; round++) {
            confirmed += takeConfirmations();
        }
        assertEquals(frames, confirmed);
        assertArrayEquals(content, received());
        assertEquals(frames, fm.counters().frames());
        assertEquals(0, fm.counters().wireDrops());
    }

    private FrameDescriptor fd() {
        return fd.moveTo(descriptors, 0);
    }

    /** Dequeues what is confirmed (waiting briefly for the hardware) and checks every status is clean. */
    private int takeConfirmations() {
        fm.drain(Duration.ofMillis(20));
        int n = fm.dequeueConfirmations(confirmQueue, confirmations);
        for (int i = 0; i < n; i++) {
            assertEquals(0, confirmations.status(i), "status of a confirmed frame");
        }
        return n;
    }

    @Test
    void everyFormatRuleComesBackWithItsExactStatus() {
        MemorySegment table = memory.asSlice(FrameDescriptor.HEADROOM);
        int max = fm.config().maxFrameSize();
        // The format field: compound is not a TX format.
        fd.clear().bpid(FrameDescriptor.BPID_NONE).address(bus(4096)).format(FdFormat.COMPOUND).length(100);
        assertEquals(FrameDescriptor.STATUS_UNSUPPORTED_FORMAT, send(), "compound");
        // Lengths: zero, and one byte above the MAC maximum.
        fd.contiguous(bus(4096), 0, 0);
        assertEquals(FrameDescriptor.STATUS_LENGTH, send(), "length 0");
        fd.clear().bpid(FrameDescriptor.BPID_NONE).address(bus(4096)).format(FdFormat.CONTIG_BIG).length(max + 1);
        assertEquals(FrameDescriptor.STATUS_LENGTH, send(), "above the maximum frame");
        fd.contiguous(bus(4096), 0, max);
        assertEquals(0, send(), "exactly the maximum frame");
        // S/G: an extension entry.
        SgEntry.at(table, 0).set(bus(4096), 0, 100, true).extension(true);
        fd.scatterGather(bus(0), FrameDescriptor.HEADROOM, 100);
        assertEquals(FrameDescriptor.STATUS_UNSUPPORTED_FORMAT, send(), "extension entry");
        // S/G: 16 entries without a final bit, then with it on the last.
        SgEntry e = SgEntry.at(table, 0);
        for (int i = 0; i < SgEntry.MAX_ENTRIES; i++) {
            e.moveTo(table, i).set(bus(8192), 0, 10, false);
        }
        fd.scatterGather(bus(0), FrameDescriptor.HEADROOM, 10 * SgEntry.MAX_ENTRIES);
        assertEquals(FrameDescriptor.STATUS_UNSUPPORTED_FORMAT, send(), "no final bit within 16 entries");
        e.moveTo(table, SgEntry.MAX_ENTRIES - 1).last(true);
        assertEquals(0, send(), "16 entries, final on the last");
        // S/G: an address above 40 bits (a reserved byte set).
        e.moveTo(table, 0).set(bus(8192), 0, 100, true);
        table.set(ValueLayout.JAVA_BYTE, 2, (byte) 1);
        assertTrue(e.reservedAddressBitsSet());
        fd.scatterGather(bus(0), FrameDescriptor.HEADROOM, 100);
        assertEquals(FrameDescriptor.STATUS_UNSUPPORTED_FORMAT, send(), "address beyond 40 bits");
        // S/G: entry lengths that do not add up to the descriptor's.
        e.moveTo(table, 0).set(bus(8192), 0, 100, false);
        e.moveTo(table, 1).set(bus(12288), 0, 100, true);
        fd.scatterGather(bus(0), FrameDescriptor.HEADROOM, 150);
        assertEquals(FrameDescriptor.STATUS_LENGTH, send(), "entry lengths differ from the frame length");
        // DMA: a table outside every region, data outside every region, data running off a region's end.
        fd.scatterGather(bus(memory.byteSize() + 8192), 0, 100);
        assertEquals(FrameDescriptor.STATUS_DMA, send(), "table outside the regions");
        e.moveTo(table, 0).set(0x1000, 0, 100, true);
        fd.scatterGather(bus(0), FrameDescriptor.HEADROOM, 100);
        assertEquals(FrameDescriptor.STATUS_DMA, send(), "data outside the regions");
        fd.contiguous(bus(memory.byteSize() - 50), 0, 100);
        assertEquals(FrameDescriptor.STATUS_DMA, send(), "data past the region's end");
        // DTC without RPD: sent, but the L4 checksum is not calculated.
        contiguousSegment(0, 1, bytes(10, 3));
        fd.cmd(FrameDescriptor.CMD_DTC);
        assertEquals(FrameDescriptor.STATUS_DCL4C, send(), "DTC without parse results");

        FrameCounters c = fm.counters();
        assertEquals(4, c.formatErrors());
        assertEquals(3, c.lengthErrors());
        assertEquals(3, c.dmaErrors());
    }

    @Test
    void theA050385RulesApplyWhenTheBoardHasTheErratum() {
        start(FrameManagerConfig.defaults(PORT).withSmmu(true).withA050385(true));
        MemorySegment table = memory.asSlice(FrameDescriptor.HEADROOM);
        fd.contiguous(bus(0), FrameDescriptor.HEADROOM, 100);
        assertEquals(FrameDescriptor.STATUS_UNSUPPORTED_FORMAT, send(), "data start not 256-aligned");
        fd.contiguous(bus(256), 0, 100);
        assertEquals(0, send(), "aligned");
        SgEntry e = SgEntry.at(table, 0).set(bus(1024), 0, 100, false);
        e.moveTo(table, 1).set(bus(2048), 0, 100, true);
        fd.scatterGather(bus(0), FrameDescriptor.HEADROOM, 200);
        assertEquals(FrameDescriptor.STATUS_UNSUPPORTED_FORMAT, send(), "non-last length not a multiple of 256");
        e.moveTo(table, 0).length(256);
        e.moveTo(table, 1).set(bus(2048 + 16), 0, 100, true);
        fd.scatterGather(bus(0), FrameDescriptor.HEADROOM, 356);
        assertEquals(FrameDescriptor.STATUS_UNSUPPORTED_FORMAT, send(), "last entry's data not aligned");
        e.moveTo(table, 1).address(bus(2048));
        assertEquals(0, send(), "all aligned");
        assertEquals(3, fm.counters().a050385Errors());
    }

    @Test
    void aFullRingAnswersBusyUntilConfirmationsAreDequeued() {
        int depth = fm.config().ringDepth();
        fm.enablePort(PORT, false);
        FrameDescriptor d = FrameDescriptor.at(descriptors, 0);
        for (int i = 0; i < 16; i++) {
            d.moveTo(descriptors, i).contiguous(bus(4096), 0, 60);
        }
        // One call fills the portal's EQCR (8 entries, one kept free) and refills it as far as QMan has moved
        // entries to the queue meanwhile (a burst, as qman_enqueue_multi), never beyond the queue's depth.
        int taken = fm.enqueue(txQueue, descriptors, 16);
        assertTrue(taken >= Math.min(depth, hal_h.LSH_QM_EQCR_SIZE() - 1) && taken <= depth, "taken " + taken);
        for (int n = taken; n > 0; taken += n) {
            assertTrue(fm.drain(DRAIN));
            n = fm.enqueue(txQueue, descriptors, 16);
        }
        assertEquals(depth, taken, "the queue holds ringDepth frames");
        assertEquals(0, fm.enqueue(txQueue, descriptors, 1), "a full queue is busy");
        assertEquals(2, fm.counters().ringFull());
        HalException busy = assertThrows(HalException.class, () -> fm.destroyQueue(txQueue));
        assertEquals(Errno.EBUSY, busy.errno().code());
        fm.enablePort(PORT, true);
        assertTrue(fm.drain(DRAIN));
        assertEquals(depth, fm.dequeueConfirmations(confirmQueue, confirmations));
        assertEquals(1, fm.enqueue(txQueue, descriptors, 1));
    }

    @Test
    void framesInFlightWhenTheirRegionIsUnregisteredCompleteWithADmaError() {
        fm.enablePort(PORT, false);
        fd.contiguous(bus(4096), 0, 60);
        assertEquals(1, fm.enqueue(txQueue, descriptors, 1));
        fm.unregisterDma(region);
        fm.enablePort(PORT, true);
        assertTrue(fm.drain(DRAIN));
        assertEquals(1, fm.dequeueConfirmations(confirmQueue, confirmations));
        assertEquals(FrameDescriptor.STATUS_DMA, confirmations.status(0));
        HalException gone = assertThrows(HalException.class, () -> fm.unregisterDma(region));
        assertEquals("lsh_dma_unregister", gone.call());
        region = fm.registerDma(memory, null);
    }

    @Test
    void aTruncatedFilePageIsADmaErrorNotACrash() throws IOException {
        long page = Libc.pageSize();
        Path file = Files.write(dir.resolve("shrinks.bin"), bytes((int) (4 * page), 4));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, 4 * page, arena);
            DmaRegion fileRegion = fm.registerDma(mapped, null);
            fd.contiguous(fileRegion.busBase() + 3 * page, 0, 100);
            assertEquals(0, send());
            channel.truncate(page);
            assertEquals(FrameDescriptor.STATUS_DMA, send(), "the page is gone");
            fd.contiguous(fileRegion.busBase(), 0, 100);
            assertEquals(0, send(), "the first page is still there");
        }
    }

    @Test
    void poolsHandOutAndTakeBackOneToEightBuffersAtATime() {
        int bpid = fm.createPool(16);
        MemorySegment buffers = arena.allocate(BmBuffer.BYTES * 9);
        BmBuffer b = BmBuffer.at(buffers, 0);
        for (int i = 0; i < 9; i++) {
            b.moveTo(buffers, i).bpid(bpid).address(bus(i * 256L));
        }
        assertThrows(IllegalArgumentException.class, () -> fm.release(bpid, buffers, 9));
        fm.release(bpid, buffers, 8);
        assertEquals(8, fm.poolCount(bpid));
        assertTrue(fm.acquire(bpid, buffers, 8));
        assertFalse(fm.acquire(bpid, buffers, 1), "an empty pool");
        assertEquals(bpid, b.moveTo(buffers, 0).bpid());
        HalException noPool = assertThrows(HalException.class, () -> fm.poolCount(63));
        assertEquals(Errno.ENOENT, noPool.errno().code());
        // A frame from the pool without a confirmation queue goes back to the pool once it is sent.
        int plain = fm.createTxQueue(PORT, 0);
        fd.contiguous(bus(4096), 0, 60).bpid(bpid);
        assertEquals(1, fm.enqueue(plain, descriptors, 1));
        assertTrue(fm.drain(DRAIN));
        assertEquals(1, fm.poolCount(bpid));
        assertTrue(fm.acquire(bpid, buffers, 1));
        assertEquals(bus(4096), b.moveTo(buffers, 0).address());
        fm.destroyQueue(plain);
        fm.destroyPool(bpid);
    }

    /**
     * QMan does not look inside a descriptor at enqueue: a BPID naming no pool and an FCO naming no queue in
     * service are misconfigurations it does not check. Both frames go out; nothing is rejected, the lost
     * confirmation reaches no queue, and no buffer is released anywhere (the software still owns it).
     */
    @Test
    void descriptorsNamingNoPoolOrNoConfirmationQueueAreSentNotRejected() {
        Rejections rejections = Rejections.allocate(arena, 4);
        int bpid = fm.createPool(4);
        FrameCounters before = fm.counters();
        int plain = fm.createTxQueue(PORT, 0);
        fd.contiguous(bus(4096), 0, 60).bpid(40);
        assertEquals(1, fm.enqueue(plain, descriptors, 1));
        fd.contiguous(bus(4096), 0, 60).bpid(bpid).confirmTo(0x4242);
        assertEquals(1, fm.enqueue(txQueue, descriptors, 1));
        assertTrue(fm.drain(DRAIN), "both frames went out");
        assertEquals(0, fm.dequeueRejections(rejections));
        FrameCounters after = fm.counters();
        assertEquals(2, after.frames() - before.frames());
        assertEquals(before.rejections(), after.rejections());
        assertEquals(before.confirmations(), after.confirmations());
        assertEquals(before.buffersReleased(), after.buffersReleased());
        assertEquals(0, fm.poolCount(bpid));
        assertEquals(0, fm.dequeueConfirmations(confirmQueue, confirmations));
        fm.destroyQueue(plain);
        fm.destroyPool(bpid);
        // FCO to an existing confirmation queue overrides the TX queue's default one.
        int other = fm.createConfirmQueue(7);
        fd.contiguous(bus(4096), 0, 60).confirmTo(other);
        assertEquals(1, fm.enqueue(txQueue, descriptors, 1));
        assertTrue(fm.drain(DRAIN));
        assertEquals(1, fm.dequeueConfirmations(other, confirmations));
        assertEquals(7, confirmations.contextB(0));
        assertEquals(0, fm.dequeueConfirmations(confirmQueue, confirmations));
    }

    @Test
    void framesBeyondATxQueuesTailDropThresholdAreRejectedUntouchedAndNotReleased() {
        int bpid = fm.createPool(16);
        int dropping = fm.createTxQueue(PORT, confirmQueue, 2);
        fm.enablePort(PORT, false);
        MemorySegment four = arena.allocate(FrameDescriptor.BYTES * 4L);
        FrameDescriptor d = FrameDescriptor.at(four, 0);
        for (int i = 0; i < 4; i++) {
            d.moveTo(four, i).contiguous(bus(4096 + i * 256L), 0, 60).bpid(bpid);
        }
        assertEquals(4, fm.enqueue(dropping, four, 4));
        assertTrue(fm.drain(DRAIN));
        Rejections rejections = Rejections.allocate(arena, 8);
        assertEquals(2, fm.dequeueRejections(rejections));
        for (int i = 0; i < 2; i++) {
            assertEquals(Rejections.RC_FQ_TAILDROP, rejections.code(i));
            assertEquals(dropping, rejections.fqid(i));
            assertEquals(bus(4096 + (2 + i) * 256L), rejections.descriptor(i).address());
        }
        assertEquals(0, fm.dequeueRejections(rejections), "each rejection once");
        fm.enablePort(PORT, true);
        assertTrue(fm.drain(DRAIN));
        assertEquals(2, fm.dequeueConfirmations(confirmQueue, confirmations));
        assertEquals(0, fm.poolCount(bpid), "the hardware released none: their owner does, once");
        fm.destroyQueue(dropping);
        fm.destroyPool(bpid);
    }

    @Test
    void withEbdInContextAFmanReleasesASentFramesPoolBufferAndStillConfirmsIt() {
        int bpid = fm.createPool(4);
        int releasing = fm.createTxQueue(PORT, confirmQueue, TxQueueOptions.NONE.fmanReleasesBuffers());
        assertTrue(TxQueueOptions.NONE.fmanReleasesBuffers().releasedByFman());
        fd.contiguous(bus(4096), 0, 60).bpid(bpid);
        assertEquals(1, fm.enqueue(releasing, descriptors, 1));
        assertTrue(fm.drain(DRAIN));
        assertEquals(1, fm.dequeueConfirmations(confirmQueue, confirmations), "confirmed for what names no pool");
        assertEquals(1, fm.poolCount(bpid), "released by FMan, before the confirmation");
        assertEquals(0, send(), "the same frame through a queue without EBD");
        assertEquals(1, fm.poolCount(bpid), "without EBD the confirmed frame's buffer stays software's");
        fm.destroyQueue(releasing);
        fm.destroyPool(bpid);
    }

    @Test
    void aCongestedGroupWithTailDropRejectsOntoTheMessageRingAndReportsEachStateChangeOnce() {
        int bpid = fm.createPool(16);
        int group = fm.createCongestionGroup(150, true);
        int grouped = fm.createTxQueue(PORT, confirmQueue, TxQueueOptions.NONE.inCongestionGroup(group));
        int ready = fm.confirmNotifier(confirmQueue, 8);
        fm.enablePort(PORT, false);
        MemorySegment four = arena.allocate(FrameDescriptor.BYTES * 4L);
        FrameDescriptor d = FrameDescriptor.at(four, 0);
        for (int i = 0; i < 4; i++) {
            d.moveTo(four, i).contiguous(bus(4096 + i * 256L), 0, 60).bpid(bpid);
        }
        assertEquals(List.of(), fm.congestionChanges());
        assertEquals(4, fm.enqueue(grouped, four, 4), "QMan takes them off the EQCR; the group decides");
        assertTrue(readable(ready, 5000), "the state change (and the rejection) wake the confirmation queue's consumer");
        assertEquals(List.of(new CongestionState(group, true, 180)), fm.congestionChanges(),
                "60 + 60 + 60 bytes exceed 150");
        assertEquals(List.of(), fm.congestionChanges(), "each change once");
        Rejections rejections = Rejections.allocate(arena, 8);
        assertEquals(1, fm.dequeueRejections(rejections));
        assertEquals(Rejections.RC_CGR_TAILDROP, rejections.code(0));
        assertEquals(grouped, rejections.fqid(0));
        assertEquals(bus(4096 + 3 * 256L), rejections.descriptor(0).address());
        assertEquals(new CongestionState(group, true, 180), fm.congestion(group));
        fm.acknowledgeNotification(confirmQueue);
        fm.enablePort(PORT, true);
        assertTrue(fm.drain(DRAIN));
        assertEquals(3, fm.dequeueConfirmations(confirmQueue, confirmations));
        assertEquals(List.of(new CongestionState(group, false, 0)), fm.congestionChanges());
        assertEquals(0, fm.poolCount(bpid), "the rejected frame's buffer is its owner's to release");
        FrameCounters counters = fm.counters();
        assertEquals(1, counters.cgrRejections());
        assertEquals(2, counters.cgrChanges());
        HalException busy = assertThrows(HalException.class, () -> fm.destroyCongestionGroup(group));
        assertEquals(Errno.EBUSY, busy.errno().code());
        fm.destroyQueue(grouped);
        fm.destroyCongestionGroup(group);
        fm.destroyPool(bpid);
    }

    /**
     * Sends {@code frames} 60-byte frames through {@code tx}, each in its own buffer of pool {@code bpid}, five at a
     * time (what the EQCR's 7 free entries and the queue's ring depth both take), without dequeuing a confirmation: the portal's dequeue ring takes 15, the rest wait in the
     * confirmation queue.
     */
    private void sendWithoutDequeuing(int tx, int frames, int bpid) {
        for (int sent = 0; sent < frames; ) {
            int n = Math.min(5, frames - sent);
            for (int i = 0; i < n; i++) {
                FrameDescriptor.at(descriptors, i).contiguous(bus(4096 + (sent + i) * 256L), 0, 60).bpid(bpid);
            }
            assertEquals(n, fm.enqueue(tx, descriptors, n));
            assertTrue(fm.drain(DRAIN));
            sent += n;
        }
    }

    private int dequeueAll(int queue) {
        int total = 0;
        for (int n; (n = fm.dequeueConfirmations(queue, confirmations)) > 0; ) {
            total += n;
        }
        return total;
    }

    @Test
    void aConfirmationQueueInAGroupCountsTheConfirmationsWaitingInItAndItsTailDropReleasesTheirBuffersOnce() {
        int bpid = fm.createPool(64);
        int group = fm.createCongestionGroup(150, true);
        int grouped = fm.createConfirmQueue(0xC6, group);
        int tx = fm.createTxQueue(PORT, grouped);
        sendWithoutDequeuing(tx, 20, bpid);
        // 15 on the dequeue ring; the 16th to 18th wait in the queue (60, 120, 180 bytes > 150): congested, so
        // FMan's confirmations of the 19th and 20th are rejected and FMan discards those frames.
        assertEquals(List.of(new CongestionState(group, true, 180)), fm.congestionChanges());
        assertEquals(List.of(), fm.congestionChanges(), "each change once");
        assertEquals(2, fm.poolCount(bpid), "the discarded frames' buffers, released by FMan");
        FrameCounters counters = fm.counters();
        assertEquals(2, counters.cgrRejections());
        assertEquals(0, counters.rejections(), "none reached this portal's message ring");
        assertEquals(18, counters.confirmations());
        assertEquals(18, dequeueAll(grouped));
        assertEquals(List.of(new CongestionState(group, false, 0)), fm.congestionChanges(),
                "the count drops as the confirmations move to the dequeue ring");
        assertEquals(2, fm.poolCount(bpid), "a confirmed frame's buffer stays its owner's");
        HalException busy = assertThrows(HalException.class, () -> fm.destroyCongestionGroup(group));
        assertEquals(Errno.EBUSY, busy.errno().code());
        fm.destroyQueue(tx);
        fm.destroyQueue(grouped);
        fm.destroyCongestionGroup(group);
        fm.destroyPool(bpid);
    }

    @Test
    void aDiscardedConfirmationDoesNotReleaseWhatFmanAlreadyReleased() {
        int bpid = fm.createPool(64);
        int group = fm.createCongestionGroup(150, true);
        int grouped = fm.createConfirmQueue(0xC7, group);
        int tx = fm.createTxQueue(PORT, grouped, TxQueueOptions.NONE.fmanReleasesBuffers());
        sendWithoutDequeuing(tx, 20, bpid);
        assertEquals(20, fm.poolCount(bpid), "every frame's buffer released once: 18 before their confirmation, "
                + "the 2 discarded ones not again");
        assertEquals(2, fm.counters().cgrRejections());
        assertEquals(18, dequeueAll(grouped));
        fm.destroyQueue(tx);
        fm.destroyQueue(grouped);
        fm.destroyCongestionGroup(group);
        fm.destroyPool(bpid);
    }

    @Test
    void aConfirmationQueueJoinsOnlyAGroupThatExists() {
        int group = fm.createCongestionGroup(150, true);
        HalException unknown = assertThrows(HalException.class, () -> fm.createConfirmQueue(1, (group + 1) % 256));
        assertEquals(Errno.ENOENT, unknown.errno().code());
        fm.destroyCongestionGroup(group);
    }

    @Test
    void framesThePortCouldNotSendGoToItsErrorQueueWithTheirBufferForSoftwareToReleaseOnce() {
        int bpid = fm.createPool(4);
        int errors = fm.createConfirmQueue(0xE44);
        fm.routeErrors(PORT, errors);
        fd.contiguous(bus(4096), 0, fm.config().maxFrameSize() + 1).bpid(bpid);
        FrameDescriptor.at(descriptors, 1).contiguous(bus(8192), 0, 60);
        assertEquals(2, fm.enqueue(txQueue, descriptors, 2));
        assertTrue(fm.drain(DRAIN));
        assertEquals(1, fm.dequeueConfirmations(errors, confirmations));
        assertEquals(FrameDescriptor.STATUS_LENGTH, confirmations.status(0));
        assertEquals(0xE44, confirmations.contextB(0));
        long buffer = confirmations.descriptor(0).address();
        assertEquals(0, fm.poolCount(bpid), "the hardware released nothing");
        MemorySegment back = arena.allocate(BmBuffer.BYTES);
        BmBuffer.at(back, 0).bpid(bpid).address(buffer);
        fm.release(bpid, back, 1);
        assertEquals(1, fm.poolCount(bpid), "released once, by its owner");
        assertEquals(1, fm.dequeueConfirmations(confirmQueue, confirmations), "the sent frame only");
        assertEquals(0, confirmations.status(0));
        assertEquals(0, fm.dequeueConfirmations(errors, confirmations));
        HalException busy = assertThrows(HalException.class, () -> fm.destroyQueue(errors));
        assertEquals(Errno.EBUSY, busy.errno().code());
        fm.routeErrors(PORT, 0);
        fm.destroyQueue(errors);
        fm.destroyPool(bpid);
    }

    /** Whether {@code fd} is readable within {@code millis}. */
    static boolean readable(int fd, int millis) {
        return (Libc.poll(fd, libc_h.POLLIN(), millis) & libc_h.POLLIN()) != 0;
    }

    @Test
    void theNotifierIsReadableAfterAConfirmationOrARejectionUntilAcknowledged() {
        int notifier = fm.confirmNotifier(confirmQueue, 1);
        assertEquals(notifier, fm.confirmNotifier(confirmQueue, 1), "one notifier per queue");
        assertFalse(readable(notifier, 0), "nothing happened yet");
        assertFalse(fm.acknowledgeNotification(confirmQueue));
        byte[] payload = bytes(100, 10);
        contiguousSegment(0, 1, payload);
        assertEquals(1, fm.enqueue(txQueue, descriptors, 1));
        assertTrue(readable(notifier, 10_000), "readable after the confirmation");
        assertTrue(fm.acknowledgeNotification(confirmQueue));
        assertFalse(readable(notifier, 0), "the acknowledgement cleared it");
        assertEquals(1, fm.dequeueConfirmations(confirmQueue, confirmations));
        assertEquals(0, confirmations.status(0));
        assertArrayEquals(payload, received());
        assertFalse(readable(notifier, 100), "nothing more happened");

        // Tail drop at one frame while the port holds the first: the second is rejected when QMan takes it.
        int dropping = fm.createTxQueue(PORT, confirmQueue, 1);
        fm.enablePort(PORT, false);
        MemorySegment two = arena.allocate(FrameDescriptor.BYTES * 2L);
        FrameDescriptor.at(two, 0).contiguous(bus(4096), 0, 60);
        FrameDescriptor.at(two, 1).contiguous(bus(4096), 0, 60);
        assertEquals(2, fm.enqueue(dropping, two, 2));
        assertTrue(readable(notifier, 10_000), "readable after the rejection");
        assertTrue(fm.acknowledgeNotification(confirmQueue));
        assertEquals(1, fm.dequeueRejections(Rejections.allocate(arena, 4)));
        assertFalse(readable(notifier, 0));
        fm.enablePort(PORT, true);
        assertTrue(fm.drain(DRAIN));
        assertTrue(fm.acknowledgeNotification(confirmQueue));
        assertEquals(1, fm.dequeueConfirmations(confirmQueue, confirmations));
        fm.destroyQueue(dropping);

        HalException tx = assertThrows(HalException.class, () -> fm.confirmNotifier(txQueue, 1));
        assertEquals(Errno.EINVAL, tx.errno().code());
        assertEquals("lsh_fm_notifier", tx.call());

        HalException deep = assertThrows(HalException.class,
                () -> fm.confirmNotifier(confirmQueue, fm.config().dequeueDepth() + 1));
        assertEquals(Errno.EINVAL, deep.errno().code());

        start(FrameManagerConfig.defaults(PORT).withSmmu(true)); // a new portal after closing the old one
        int again = fm.confirmNotifier(confirmQueue, fm.config().dequeueDepth());
        assertFalse(readable(again, 0));
        contiguousSegment(0, 1, payload);
        assertEquals(1, fm.enqueue(txQueue, descriptors, 1));
        assertTrue(readable(again, 10_000), "the reopened portal's notifier works; a lone frame is reported below the"
                + " threshold, as its TX queue drained");
        assertTrue(fm.acknowledgeNotification(confirmQueue));
        assertEquals(1, fm.dequeueConfirmations(confirmQueue, confirmations));
    }

    /** The wire does not judge frames, a receiving host does: without DTC a frame leaves exactly as software built it. */
    @Test
    void withoutChecksumOffloadAFrameLeavesExactlyAsSoftwareBuiltIt() {
        int length = contiguousSegment(0, 1, bytes(20, 5));
        fd.cmd(0); // no DTC: the checksums stay zero
        assertEquals(0, send(), "the MAC sent it");
        List<byte[]> frames = wire.frames();
        assertEquals(1, frames.size());
        assertArrayEquals(memory.asSlice(FrameDescriptor.HEADROOM, length).toArray(ValueLayout.JAVA_BYTE), frames.getFirst());
        assertEquals(0, fm.counters().checksums());
    }

    @Test
    void failuresNameTheCallAndItsArguments() {
        HalException e = assertThrows(HalException.class, () -> fm.createTxQueue(99, confirmQueue));
        assertEquals("lsh_fm_fq_create", e.call());
        assertEquals(Errno.ENODEV, e.errno().code());
        assertEquals("lsh_fm_fq_create(kind=TX, port=99, confirmFqid=" + confirmQueue
                + ", taildrop=0) failed: ENODEV (No such device)", e.getMessage());
        assertThrows(HalException.class, () -> fm.enqueue(0x777777, descriptors, 1));
        assertThrows(IllegalArgumentException.class, () -> fm.enqueue(txQueue, descriptors, 17));
        assertThrows(HalException.class, () -> fm.registerDma(memory.asSlice(1, 4096), null));
    }

    @Test
    void physicalAddressesFromPagemapWorkWhenThePageFrameNumbersAreReadable() {
        start(FrameManagerConfig.defaults(PORT));
        long page = Libc.pageSize();
        MemorySegment pinned = memory.asSlice(0, 4 * page);
        Libc.mlock(pinned);
        long[] pfns = PageFrames.of(pinned);
        assumeTrue(pfns[0] != 0, "page frame numbers read as 0: reading them needs CAP_SYS_ADMIN");
        region = fm.registerDma(pinned, pfns);
        assertEquals(pfns[0] * page, region.busBase());
        byte[] payload = bytes(200, 9);
        contiguousSegment(0, 1, payload);
        assertEquals(0, send());
        assertArrayEquals(payload, received());
        // The next page through its own frame number, wherever that frame is.
        contiguousSegment(page, 201, payload);
        fd.address(pfns[1] * page);
        assertEquals(0, send());
        assertArrayEquals(payload, received());
        Libc.munlock(pinned);
    }
}
