// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerstore.services.http.OffloadTestClients.sha256;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layerstore.datapath.RandomContent;
import org.layerstore.hal.fm.FrameCounters;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.StackCounters;
import org.layerstore.netstack.link.FrameManagerLink;
import org.layerstore.netstack.link.LinkCounters;
import org.layerstore.netstack.tcp.TcpState;
import org.layerstore.services.config.OffloadSettings;

/**
 * The offload port on the frame-manager link: the server's one pipeline on the user-space stack, whose
 * frames go through an emulated FMan port wired to one end of a veth pair (TX gathered from S/G entries,
 * RX through BMan buffers), curl in a namespace on the other end. File bodies go by physical address:
 * the link must DMA every body byte, copy only the response heads, and hold nothing pinned once the
 * connections are done. Skips, saying why, without fixture.root(), the tools, or the emulated frame manager.
 */
class FrameManagerOffloadPortTest {

    /** Response heads (and WebDAV bodies) are the only payload the CPU may copy on this link. */
    private static final long HEAD_BYTES_BOUND = 64 * 1024;
    private static final int QUARTER_GIB = 256 << 20;

    @RegisterExtension
    static final OffloadPortFixture fixture = OffloadPortFixture.on(OffloadSettings.WIRE_FRAME_MANAGER, "lsfp", root -> {
        RandomContent.createNew(root.resolve("one-MiB.bin"), 1 << 20, 11);
        RandomContent.createNew(root.resolve("sixty-four-MiB.bin"), 64 << 20, 12);
        RandomContent.createNew(root.resolve("four-KiB.bin"), 4096, 15);
    });

    @Test
    void theOffloadPortRunsOnTheFrameManagerWhenAsked() {
        assertEquals(OffloadSettings.WIRE_FRAME_MANAGER, fixture.port().wire());
        assertEquals(1, fixture.frameManagers().openCount(), "the link's portal is counted in telemetry");
    }

    @Test
    void downloadsArriveIdenticalWithEveryBodyByteReadByDma() throws Exception {
        LinkCounters link = fixture.port().linkCounters();
        StackCounters counters = fixture.port().counters();
        long dmaBefore = link.dmaPayloadBytes();
        long copiedBefore = link.copiedPayloadBytes();
        double seconds = OffloadTestClients.downloadOneAndSixtyFourMebibytes(fixture.curl(), fixture.base(), fixture.root());
        long dma = link.dmaPayloadBytes() - dmaBefore;
        long copied = link.copiedPayloadBytes() - copiedBefore;
        System.out.printf("offload port on the frame manager: 64 MiB in %.2f s (%.1f MB/s); 65 MiB of bodies: %d B DMA'd, "
                + "%d B copied, %d retransmissions so far%n", seconds, (64 << 20) / seconds / 1e6, dma, copied,
                counters.get(StackCounter.RETRANSMISSIONS));

        // A retransmission reads the same pages again, so DMA may exceed the bodies, never fall short.
        assertTrue(dma >= (1 << 20) + (64L << 20), "every body byte was read by DMA, " + dma + " B");
        assertTrue(copied < HEAD_BYTES_BOUND, "only the response heads were copied, not " + copied + " B");
        OffloadTestClients.awaitNothingPinned(counters, link);
    }

    @Test
    void aRangeComesFromThePages() throws Exception {
        LinkCounters link = fixture.port().linkCounters();
        long dmaBefore = link.dmaPayloadBytes();
        Curl.Response r = fixture.curl().run("-r", "4096-69631", fixture.base() + "one-MiB.bin");
        assertEquals(206, r.status());
        assertEquals("bytes 4096-69631/1048576", r.header("Content-Range"));
        byte[] file = Files.readAllBytes(fixture.root().resolve("one-MiB.bin"));
        assertArrayEquals(Arrays.copyOfRange(file, 4096, 69632), r.body());
        assertTrue(link.dmaPayloadBytes() - dmaBefore >= 65536, "the range's bytes were read by DMA");
        OffloadTestClients.awaitNothingPinned(fixture.port().counters(), link);
    }

    @Test
    void anUploadLandsIntactThroughTheReceiveBuffers() throws Exception {
        Path upload = fixture.dir().resolve("upload.bin");
        RandomContent.createNew(upload, 8 << 20, 13);
        Curl.Response r = fixture.curl().run("-T", upload.toString(), fixture.base() + "uploaded.bin");
        assertEquals(201, r.status());
        assertArrayEquals(sha256(Files.readAllBytes(upload)), sha256(Files.readAllBytes(fixture.root().resolve("uploaded.bin"))));
    }

    @Test
    void aQuarterGibibyteUploadArrivesIdenticalCopiedOnceFromTheReceiveBuffers() throws Exception {
        Path upload = fixture.dir().resolve("quarter.bin");
        RandomContent.createNew(upload, QUARTER_GIB, 14);
        StackCounters counters = fixture.port().counters();
        FrameManagerLink link = (FrameManagerLink) fixture.port().linkCounters();
        long copiedBefore = counters.get(StackCounter.RECEIVED_BYTES_COPIED);
        long keptBefore = counters.get(StackCounter.RECEIVED_BYTES_KEPT);
        FrameCounters before = fixture.frameManagers().counters().getFirst();
        OffloadTestClients.TimedPut put = OffloadTestClients.timedPut(fixture.network(), fixture.base() + "quarter.bin",
                upload);
        FrameCounters after = fixture.frameManagers().counters().getFirst();
        long copied = counters.get(StackCounter.RECEIVED_BYTES_COPIED) - copiedBefore;
        long kept = counters.get(StackCounter.RECEIVED_BYTES_KEPT) - keptBefore;
        System.out.printf("offload port on the frame manager: 256 MiB PUT in %.2f s (%.1f MiB/s), %.2f CPU s in this JVM; "
                + "%d B received kept in the link's buffers, %d B copied, %d lend refusals, %d segments queued out of "
                + "order so far, %d retransmitted by the client, %d frames dropped by the port for want of a buffer, "
                + "%d for a full RX queue; busiest threads: %s%n", put.seconds(), put.mebibytesPerSecond(QUARTER_GIB),
                put.cpuSeconds(), kept, copied, link.lendRefusals(), counters.get(StackCounter.OUT_OF_ORDER_QUEUED),
                put.clientRetransmissions(), after.rxNoBuffer() - before.rxNoBuffer(),
                after.rxQueueFull() - before.rxQueueFull(), put.busiestThreads());
        assertEquals(201, put.status());
        assertArrayEquals(sha256File(upload), sha256File(fixture.root().resolve("quarter.bin")));
        assertEquals(QUARTER_GIB, copied, "the body was copied once, into the file, and nothing else was");
        assertTrue(kept >= QUARTER_GIB, "every body byte reached the handler in the link's buffers, " + kept + " B");
        awaitReceiveBuffersBack(link);
        Files.delete(upload);
        Files.delete(fixture.root().resolve("quarter.bin"));
    }

    @Test
    void smallRequestsOneAfterTheOtherAreAnswered() throws Exception {
        double[] seconds = OffloadTestClients.sequentialGets(fixture.network(), fixture.base() + "four-KiB.bin", 200,
                4096);
        System.out.printf("offload port on the frame manager: 200 sequential 4 KiB GETs, p50 %.2f ms, p90 %.2f ms%n",
                seconds[100] * 1e3, seconds[180] * 1e3);
    }

    @Test
    void aClientKilledMidDownloadLeavesNothingPinned() throws Exception {
        LinkCounters link = fixture.port().linkCounters();
        OffloadTestClients.killMidDownload(fixture.network(), fixture.base() + "sixty-four-MiB.bin", link::pinnedBytes);
        OffloadTestClients.awaitNothingPinned(fixture.port().counters(), link);
        assertEquals(0, fixture.port().counters().connections(TcpState.ESTABLISHED), "the reset connection is gone");
    }

    /**
     * Waits until no receive buffer is lent and the pool holds every one again: lent buffers come back as the
     * file-I/O thread releases its pieces and the event loop takes them, and the link reads its pool's depth
     * after each burst it receives, so a small download now and then gives it bursts to read it at.
     */
    private static void awaitReceiveBuffersBack(FrameManagerLink link) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        do {
            fixture.curl().run(fixture.base() + "four-KiB.bin");
        } while ((link.receiveBuffersLent() != 0 || link.receivePoolDepth() != link.receivePoolSize())
                && System.nanoTime() < deadline);
        assertEquals(0, link.receiveBuffersLent(), "no receive buffer still lent to the stack");
        assertEquals(link.receivePoolSize(), link.receivePoolDepth(), "every receive buffer went back to the pool");
    }

    private static byte[] sha256File(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
        }
        return digest.digest();
    }
}
