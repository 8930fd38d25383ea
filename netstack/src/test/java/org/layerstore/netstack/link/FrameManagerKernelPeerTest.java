// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.pagemap.PagemapReader;
import org.layerstore.hal.fm.BackendAvailability;
import org.layerstore.hal.fm.EmulatedFrameManager;
import org.layerstore.hal.fm.FrameManagerConfig;
import org.layerstore.hal.libc.Libc;
import org.layerstore.netstack.DropReason;
import org.layerstore.netstack.NetStack;
import org.layerstore.netstack.StackConfig;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.buffer.PayloadPiece;
import org.layerstore.netstack.buffer.PayloadSlice;
import org.layerstore.netstack.time.Clock;
import org.layerstore.netstack.wire.Ipv4Address;

/**
 * KernelPeerTest's judge on the frame-manager path: the stack on {@link FrameManagerLink} over an emulated
 * FMan port wired to one end of a veth pair (TX frames gathered from S/G entries, RX frames in BMan
 * buffers), the kernel's TCP and curl in a namespace on the other end. The file body goes out as
 * physical-address pieces ({@link FilePieces}): the downloads must be sha256-identical, the CPU must
 * copy no body byte (a board with erratum A050385 bounces them all instead: {@link #portalConfig}), and every
 * pinned page must be given back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrameManagerKernelPeerTest {

    private static final int PORT = 8080;
    private static final int FMAN_PORT = 1;
    private static final long BIG = 64L << 20;

    /** One per class (the lifecycle is per class): the body file and the downloads. */
    private Path dir;
    private VethPair veth;
    private Arena arena;
    private EmulatedFrameManager portal;
    private PagemapReader pagemap;
    private FrameManagerLink link;
    private ImpairedLink impaired;
    private FileChannel file;
    private FilePieces filePieces;
    private FileBody body;
    private NetStack stack;
    private StackLoop loop;

    /** The portal's board: physical addresses (bus addresses from pagemap), no erratum. */
    FrameManagerConfig portalConfig() {
        return FrameManagerConfig.defaults(FMAN_PORT).withRingDepth(512).withDequeueDepth(1024);
    }

    /** The body: a file of random bytes, sent as physical-address pieces. */
    private final class FileBody implements PatternResponder.Body {
        final AtomicLong made = new AtomicLong();
        final AtomicLong released = new AtomicLong();

        @Override
        public long size() {
            return BIG;
        }

        @Override
        public PayloadPiece piece(long offset, long length) {
            try {
                PayloadPiece p = filePieces.piece(file, new FileRange(offset, length));
                made.incrementAndGet();
                // The piece's own cleanup (unregister, unpin, unmap) runs first, then this count.
                return PayloadPiece.of(p.bytes(), () -> {
                    p.release();
                    released.incrementAndGet();
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @BeforeAll
    void start(@TempDir Path classDir) throws IOException {
        dir = classDir;
        VethPair.assumeUsable("curl");
        BackendAvailability availability = EmulatedFrameManager.availability();
        assumeTrue(availability.available(), availability.reason());
        Path data = dir.resolve("body");
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(21);
        try (FileChannel out = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (long at = 0; at < BIG; at += chunk.length) {
                random.nextBytes(chunk);
                out.write(ByteBuffer.wrap(chunk));
            }
        }
        file = FileChannel.open(data, StandardOpenOption.READ);
        veth = VethPair.create();
        arena = Arena.ofShared();
        // Physical mode: the bus addresses are the pages' physical addresses, read from pagemap.
        portal = EmulatedFrameManager.open(portalConfig());
        pagemap = PagemapReader.self((int) Libc.pageSize());
        link = FrameManagerLink.open(portal, FMAN_PORT, veth.stackEnd, pagemap, 1024);
        filePieces = new FilePieces(link, pagemap, true);
        body = new FileBody();
        impaired = new ImpairedLink(link, 1421);
        stack = new NetStack(impaired, StackConfig.of(Ipv4Address.parse(VethPair.STACK_ADDRESS), 24), Clock.system(),
                new SecureRandom());
        stack.listen(PORT, () -> new PatternResponder(body, arena));
        loop = StackLoop.start(stack, "netstack-fman-loop");
    }

    @AfterAll
    void stop() throws Exception {
        InOrder.close(loop, link, portal, pagemap, file, veth, arena);
    }

    @Test
    void curlReceivesOneMebibyteIdenticalWithNoBodyByteCopiedAndTsharkFindsNothingWrong() throws Exception {
        PeerCapture.assertCleanDownload(veth, "fman-peer-1MiB.pcap", dir.resolve("tshark.log"), PORT,
                () -> download(1L << 20));
    }

    @Test
    void curlReceivesEightMebibytesIdenticalThroughLossBothWays() throws Exception {
        long before = stack.counters().get(StackCounter.RETRANSMISSIONS);
        impaired.loss(0.02, 0.01);
        try {
            download(8L << 20);
        } finally {
            impaired.loss(0, 0);
        }
        long retransmitted = stack.counters().get(StackCounter.RETRANSMISSIONS) - before;
        System.out.println("frame manager link through 2 % / 1 % loss: " + retransmitted + " retransmissions");
        assertTrue(retransmitted > 0, "frames were lost, so some were sent again from the same pages");
    }

    @Test
    void curlReceivesSixtyFourMebibytesIdenticalWithNoBodyByteCopied() throws Exception {
        download(BIG);
    }

    /**
     * The debug check of pinning: a piece whose pages went away after they were pinned and registered (the file
     * truncated and written back: truncation unmaps even mlocked pages) is never handed to the hardware by its
     * old addresses; the frame is refused, counted and reported as a DMA error.
     */
    @Test
    void withPinVerificationAFrameOverAMovedPageIsRefusedAndReportedNotSent() throws Exception {
        Path moving = dir.resolve("moving");
        byte[] bytes = new byte[64 << 10];
        new Random(3).nextBytes(bytes);
        Files.write(moving, bytes);
        java.util.List<String> reported = new java.util.ArrayList<>();
        try (FileChannel channel = FileChannel.open(moving, StandardOpenOption.READ, StandardOpenOption.WRITE);
                EmulatedFrameManager checking = EmulatedFrameManager.open(portalConfig().withPorts(java.util.List.of(2)));
                VethPair other = VethPair.create("lsfp");
                FrameManagerLink verifying = FrameManagerLink.open(checking, 2, other.stackEnd, pagemap, 16, true,
                        reported::add)) {
            PayloadPiece piece = new FilePieces(verifying, pagemap, true).piece(channel, new FileRange(0, bytes.length));
            try {
                java.lang.foreign.MemorySegment header = arena.allocate(54);
                assertTrue(verifying.send(header, java.util.List.of(new PayloadSlice(piece, 0, 1000))),
                        "the pages are where they were registered");
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(bytes), 0);
                assertEquals(false, verifying.send(header, java.util.List.of(new PayloadSlice(piece, 0, 1000))),
                        "the page went away and came back elsewhere: never sent from its old frame");
                assertEquals(1, verifying.pinsMoved());
                assertEquals(1, reported.size());
                assertTrue(reported.getFirst().startsWith("DMA error: pinned page at 0x"), reported.getFirst());
                assertTrue(reported.getFirst().contains("moved from page frame 0x"), reported.getFirst());
            } finally {
                piece.release();
            }
        }
    }

    private void download(long size) throws Exception {
        Path out = dir.resolve("got-" + size);
        long copiedBefore = link.copiedPayloadBytes();
        long dmaBefore = link.dmaPayloadBytes();
        long retransmitsBefore = stack.counters().get(StackCounter.RETRANSMISSIONS);
        long started = System.nanoTime();
        Commands.Result r = veth.attemptInPeer(300, "curl", "-sS", "--max-time", "280", "-D", "-", "-o",
                out.toString(), "http://" + VethPair.STACK_ADDRESS + ":" + PORT + "/" + size);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(0, r.exitCode(), "curl: " + r.output() + " counters " + stack.counters().snapshot() + " "
                + portal.counters());
        assertEquals(size, Files.size(out));
        assertEquals(sha256(file, size), sha256(out), "the body differs from the file");
        long copied = link.copiedPayloadBytes() - copiedBefore;
        long dma = link.dmaPayloadBytes() - dmaBefore;
        long retransmitted = stack.counters().get(StackCounter.RETRANSMISSIONS) - retransmitsBefore;
        System.out.printf("frame manager link: %d bytes in %.2f s (%.1f MB/s), by DMA %d, CPU-copied %d, "
                + "retransmissions %d, ring-full waits %d, TX buffer waits %d, no TX buffer %d, %s, %s%n", size, seconds,
                size / seconds / 1e6, dma, copied, retransmitted, link.ringFullWaits(), link.txBufferWaits(),
                link.txBufferShortages(),
                stack.counters().snapshot(), portal.counters());
        int headerBytes = r.output().indexOf("\r\n\r\n") + 4;
        if (portal.config().a050385()) {
            // Erratum A050385: every frame bounced into an aligned buffer, none refused by the hardware's rules.
            assertEquals(0, dma, "no S/G payload entry under A050385");
            assertTrue(copied >= size, copied + " bytes bounced for a " + size + "-byte body");
            assertEquals(0, portal.counters().a050385Errors(), "no frame broke the erratum's rules");
            assertTrue(link.bouncedFrames() >= size / 1460, link.bouncedFrames() + " frames bounced");
        } else {
            // Only the response header (an in-memory piece) is copied; the file body is read by DMA alone.
            assertTrue(copied <= headerBytes * (1 + retransmitted), copied + " bytes copied for a " + headerBytes
                    + "-byte header: body bytes were copied");
            assertTrue(dma >= size, dma + " bytes by DMA for a " + size + "-byte body");
            assertEquals(0, link.bouncedFrames());
        }
        awaitReleased();
        assertEquals(0, stack.counters().dropped(DropReason.TCP_BAD_CHECKSUM));
        assertEquals(0, link.txErrors());
        assertEquals(0, stack.counters().dropped(DropReason.LINK_SEND_FAILED), "the link refused no frame");
    }

    private void awaitReleased() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((stack.counters().pinnedBytes() != 0 || body.made.get() != body.released.get())
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, stack.counters().pinnedBytes(), "pinned bytes after the connection ended");
        assertEquals(body.made.get(), body.released.get(), "every file piece released");
        assertEquals(0, filePieces.mappedBytes(), "every file page unpinned and unmapped");
        assertEquals(0, link.dmaMemory().registeredBytes(), "every file region unregistered");
    }

    private static String sha256(FileChannel channel, long size) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        for (long at = 0; at < size;) {
            buf.clear().limit((int) Math.min(buf.capacity(), size - at));
            int n = channel.read(buf, at);
            d.update(buf.flip());
            at += n;
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static String sha256(Path path) throws Exception {
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.READ)) {
            return sha256(c, c.size());
        }
    }
}
