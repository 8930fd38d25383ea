// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.frames.ChecksumMode;
import org.layerstore.datapath.frames.FrameCursor;
import org.layerstore.datapath.frames.MetaBuffer;
import org.layerstore.datapath.frames.MetaBufferRing;
import org.layerstore.datapath.frames.PacketHeaders;
import org.layerstore.datapath.frames.TcpFlow;
import org.layerstore.datapath.mapping.FileMapping;
import org.layerstore.hal.dpaa.FrameDescriptor;
import org.layerstore.hal.dpaa.ParseResult;
import org.layerstore.hal.dpaa.SgEntry;
import org.layerstore.hal.fm.Confirmations;
import org.layerstore.hal.fm.DmaRegion;
import org.layerstore.hal.fm.FrameManager;
import org.layerstore.hal.fm.TxTarget;
import org.layerstore.hal.libc.Libc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One range through the frame manager: decide (bind the port, a frame per segment), build (S/G table and
 * header in a DMA buffer, or a bounced contiguous frame), submit (bursts of up to 8, back-pressure when
 * the ring or the connection's meta-buffers are full), and one cleanup for confirmations and rejections
 * alike, undoing the build in reverse.
 *
 * <p>{@link #transferTo} never waits for the hardware: it acknowledges the confirmation queue's notifier,
 * collects what was confirmed (or rejected), refills the ring and returns the payload bytes confirmed
 * since the last call, often 0. The notifier ({@link #completionFd}) becomes readable with the next
 * confirmation, which is when calling again makes sense ({@link AsyncCompletion}).
 */
final class OffloadTransfer extends AbstractTransfer implements AsyncCompletion {

    static final String NO_DESCRIPTOR = "target has no socket descriptor to bind a port to: wrote from the mapping";
    private static final Logger LOG = LoggerFactory.getLogger(OffloadTransfer.class);
    private static final int BURST = 8;
    /** How long closing waits for the frames still in flight before unregistering their pages anyway. */
    private static final long CLOSE_WAIT_NANOS = 10_000_000_000L;
    private static final byte[] SOURCE_MAC = {2, 0x4c, 0x53, 0, 0, 1};
    private static final byte[] DESTINATION_MAC = {2, 0x4c, 0x53, 0, 0, 2};

    private final OffloadEngine engine;
    private final FileMapping mapping;
    private final DmaRegion region;
    private final int port;
    private final FrameCursor cursor;
    private final long id;
    /** The debug check of the pinned pages' frames; null unless verifying in physical mode. */
    private final PinCheck pinCheck;
    private final boolean bounce;
    private final MetaBufferRing ring;
    private final Map<Long, MetaBuffer> inFlight = new HashMap<>();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment batch = arena.allocate(FrameDescriptor.BYTES * BURST, 8);
    private final MetaBuffer[] batchFrames = new MetaBuffer[BURST];
    private final int[] batchEntries = new int[BURST];
    private final Confirmations confirmations = Confirmations.allocate(arena, 16);
    private final FrameDescriptor fd = FrameDescriptor.at(batch, 0);
    private final SgEntry sg;
    private int pending;
    private boolean cursorDone;
    private int txFqid;
    /** The port's error queue while this transfer holds the port: frames FMan could not send come back here. */
    private int errorFqid;
    private final int confirmFqid;
    private final int notifier;
    private OpenFile capture;
    private TcpFlow flow;
    private MemorySegment headerTemplate;
    private final MemorySegment[] pieces = new MemorySegment[1];
    private int ipId;
    private long confirmedBytes;
    /** Confirmed bytes already returned by {@link #writeSome}; read and written under the portal lock. */
    private long reportedBytes;
    private String failure;
    private boolean writingFromMapping;

    OffloadTransfer(OffloadEngine engine, OpenFile file, FileRange range, FileMapping mapping, DmaRegion region, int port,
                    FrameCursor cursor, long id, PinCheck pinCheck) {
        super(file, range, engine.statistics());
        this.engine = engine;
        this.pinCheck = pinCheck;
        this.mapping = mapping;
        this.region = region;
        this.port = port;
        this.cursor = cursor;
        this.id = id;
        this.bounce = engine.limits().erratumA050385();
        this.ring = new MetaBufferRing(engine.settings().framesInFlight());
        this.sg = SgEntry.at(arena.allocate(SgEntry.BYTES, 8), 0);
        this.cursorDone = range.length() == 0;
        synchronized (engine.portalLock()) {
            FrameManager portal = engine.portal();
            confirmFqid = portal.createConfirmQueue((int) id); // a cookie: QMan's context_b has 32 bits
            try {
                // Woken when half of what can be in flight is confirmed (the TX ring, the confirmation queue or
                // this connection's meta-buffers, whichever is smallest): refills while the other half is sent.
                int inFlightMost = Math.min(Math.min(portal.config().ringDepth(), portal.config().dequeueDepth()),
                        engine.settings().framesInFlight());
                notifier = portal.confirmNotifier(confirmFqid, Math.max(1, inFlightMost / 2));
            } catch (RuntimeException e) {
                portal.destroyQueue(confirmFqid);
                throw e;
            }
        }
    }

    @Override
    public int completionFd() {
        return notifier;
    }

    @Override
    public boolean awaitingCompletions() {
        synchronized (engine.portalLock()) {
            return !inFlight.isEmpty();
        }
    }

    @Override
    protected long writeSome(WritableByteChannel target, long position, long count) throws IOException {
        if (!(target instanceof SocketDescriptor socket) || writingFromMapping) {
            return writeFromMapping(target, position, count);
        }
        long fresh;
        String failed;
        synchronized (engine.portalLock()) {
            if (txFqid == 0) {
                bind(socket);
                verifyPins(range.offset(), range.end());
            }
            step();
            fresh = confirmedBytes - reportedBytes;
            reportedBytes = confirmedBytes;
            failed = failure;
        }
        if (failed != null) {
            checkNotShrunk();
            throw new IOException(failed);
        }
        return fresh;
    }

    /**
     * A target without a descriptor cannot be bound to a frame-manager port: the whole transfer is then
     * written from the mapped pages (one CPU copy), recorded as a fallback.
     */
    private long writeFromMapping(WritableByteChannel target, long position, long count) throws IOException {
        if (txFqid != 0) {
            throw new IOException("transfer " + id + " started on a frame-manager port and cannot switch to " + target);
        }
        if (!writingFromMapping) {
            writingFromMapping = true;
            statistics.fallback(NO_DESCRIPTOR);
        }
        int written = target.write(payloadOf(position, (int) Math.min(count, MmapEngine.MAX_WRITE_BYTES)).asByteBuffer());
        statistics.syscalls(1);
        statistics.moved(written, written);
        if (written == 0) {
            checkNotShrunk();
        }
        return written;
    }

    /** Under the portal lock: collect what the hardware finished, then give it more. */
    private void step() throws IOException {
        reap();
        if (failure == null) {
            fill();
        }
    }

    private void bind(SocketDescriptor socket) throws IOException {
        FrameManager portal = engine.portal();
        flow = flowOf(socket);
        headerTemplate = PacketHeaders.template(flow);
        Path directory = engine.settings().captureDirectory();
        if (directory != null) {
            capture = OpenFile.write(directory.resolve("offload-" + id + ".pcap"));
        }
        portal.bindPort(port, new TxTarget(capture == null ? -1 : capture.fd(), socket.fd()));
        // FMan's per-port error FQ (dpaa_eth's dpaa_tx_error): this transfer holds the port, so the errors are its own.
        errorFqid = portal.createConfirmQueue((int) id);
        portal.routeErrors(port, errorFqid);
        txFqid = portal.createTxQueue(port, confirmFqid);
        engine.register(txFqid, this);
    }

    /**
     * Under the portal lock: every confirmation, error and rejection there is. The notifier is acknowledged
     * first, so whatever arrives after the queues were found empty makes it readable again (an errored
     * frame wakes it as well as a confirmation does).
     */
    private void reap() {
        FrameManager portal = engine.portal();
        portal.acknowledgeNotification(confirmFqid);
        drain(confirmFqid);
        if (errorFqid != 0) {
            engine.erroredFramesFreed(drain(errorFqid));
        }
        engine.dispatchRejections();
    }

    /** Under the portal lock: finishes every frame waiting in {@code fqid}; returns how many. */
    private int drain(int fqid) {
        FrameManager portal = engine.portal();
        int total = 0;
        int n;
        while ((n = portal.dequeueConfirmations(fqid, confirmations)) > 0) {
            for (int i = 0; i < n; i++) {
                int errors = confirmations.status(i) & FrameDescriptor.STATUS_TX_ERRORS;
                finished(confirmations.descriptor(i).address(), errors, errors == 0 ? null : describeStatus(errors));
            }
            total += n;
        }
        return total;
    }

    /** Under the portal lock: the message ring returned one of this transfer's descriptors. */
    void rejected(long buffer, int code) {
        finished(buffer, code, "enqueue rejected with code 0x" + Integer.toHexString(code));
    }

    /** The one cleanup of a frame, confirmed or not: state, DMA buffer, meta-buffer (and with it the mapping). */
    private void finished(long buffer, int errors, String problem) {
        MetaBuffer frame = inFlight.remove(buffer);
        if (frame == null) {
            LOG.warn("confirmation for unknown buffer 0x{} on transfer {}", Long.toHexString(buffer), id);
            return;
        }
        if (problem == null) {
            frame.confirmed();
            confirmedBytes += frame.payloadLength();
            statistics.moved(frame.payloadLength(), 0);
        } else {
            frame.rejected(errors);
            String what = "frame " + frame.frame() + " (file offset " + frame.fileOffset() + ", " + frame.payloadLength()
                    + " bytes) failed: " + problem;
            if (failure == null) {
                failure = what;
            }
            if ((errors & FrameDescriptor.STATUS_DMA) != 0) {
                engine.dmaErrors().dmaError(engine.name(), what);
            }
        }
        engine.buffers().release(buffer);
        frame.release();
    }

    private static String describeStatus(int errors) {
        StringBuilder text = new StringBuilder("status 0x").append(Integer.toHexString(errors));
        if ((errors & FrameDescriptor.STATUS_DMA) != 0) {
            text.append(" DMA error (a page went away: truncated file?)");
        }
        if ((errors & FrameDescriptor.STATUS_LENGTH) != 0) {
            text.append(" length error");
        }
        if ((errors & FrameDescriptor.STATUS_UNSUPPORTED_FORMAT) != 0) {
            text.append(" unsupported format");
        }
        return text.toString();
    }

    private void fill() throws IOException {
        FrameManager portal = engine.portal();
        DmaBufferPool buffers = engine.buffers();
        while (true) {
            while (pending < BURST && !cursorDone && ring.free() > 0) {
                long buffer = buffers.acquire();
                if (buffer < 0) {
                    break;
                }
                if (!cursor.next()) {
                    cursorDone = true;
                    buffers.release(buffer);
                    break;
                }
                MetaBuffer frame = ring.tryBuild(cursor.frame(), cursor.fileOffset(), cursor.payloadLength(), buffer, mapping)
                        .orElseThrow(() -> new IllegalStateException("meta-buffer ring full despite a free slot"));
                fd.moveTo(batch, pending);
                if (bounce) {
                    buildBounced(buffers.memory(buffer), buffer);
                } else {
                    buildScatterGather(buffers.memory(buffer), buffer);
                }
                batchEntries[pending] = bounce ? 0 : cursor.entryCount() + 1;
                batchFrames[pending++] = frame;
            }
            if (pending == 0) {
                return;
            }
            if (!verifyPins(batchFrames[0].fileOffset(),
                    batchFrames[pending - 1].fileOffset() + batchFrames[pending - 1].payloadLength())) {
                return;
            }
            int taken = portal.enqueue(txFqid, batch, pending);
            for (int i = 0; i < taken; i++) {
                batchFrames[i].enqueued();
                inFlight.put(batchFrames[i].buffer(), batchFrames[i]);
                statistics.frames(1, batchEntries[i]);
            }
            statistics.syscalls(1);
            if (taken < pending) {
                // The ring is full: back-pressure, the rest waits until confirmations free it (the notifier says when).
                MemorySegment.copy(batch, taken * FrameDescriptor.BYTES, batch, 0, (pending - taken) * FrameDescriptor.BYTES);
                System.arraycopy(batchFrames, taken, batchFrames, 0, pending - taken);
                System.arraycopy(batchEntries, taken, batchEntries, 0, pending - taken);
                pending -= taken;
                return;
            }
            pending = 0;
        }
    }

    /**
     * Under the portal lock, in the debug mode: whether the pinned pages of file bytes {@code [from, to)} are still
     * at the frames registered for DMA. A moved page fails the transfer as a DMA error (logged, counted, reported)
     * before the hardware is given its old address; the frames not yet enqueued are dropped.
     */
    private boolean verifyPins(long from, long to) throws IOException {
        if (pinCheck == null || failure != null) {
            return failure == null;
        }
        String moved = pinCheck.moved(from, to).orElse(null);
        if (moved == null) {
            return true;
        }
        failure = "DMA error: " + moved;
        LOG.error("offload transfer {} of {}: {}", id, range, failure);
        engine.pinMoved();
        engine.dmaErrors().dmaError(engine.name(), failure);
        for (int i = 0; i < pending; i++) {
            engine.buffers().release(batchFrames[i].buffer());
            batchFrames[i].release();
        }
        pending = 0;
        cursorDone = true;
        return false;
    }

    private void buildScatterGather(MemorySegment buffer, long bus) {
        int payload = cursor.payloadLength();
        MemorySegment data = payloadOf(cursor.fileOffset(), payload);
        writeHeader(buffer.asSlice(OffloadEngine.HEADER_OFFSET, PacketHeaders.HEADER_BYTES), data);
        MemorySegment table = buffer.asSlice(OffloadEngine.SG_TABLE_OFFSET, SgEntry.MAX_ENTRIES * SgEntry.BYTES);
        table.fill((byte) 0);
        sg.moveTo(table, 0).set(bus + OffloadEngine.HEADER_OFFSET, 0, PacketHeaders.HEADER_BYTES, payload == 0);
        int entries = cursor.entryCount();
        for (int e = 0; e < entries; e++) {
            sg.moveTo(table, e + 1).set(cursor.entryAddress(e), 0, cursor.entryLength(e), e == entries - 1);
        }
        fd.scatterGather(bus, OffloadEngine.SG_TABLE_OFFSET, PacketHeaders.HEADER_BYTES + payload);
        checksumCommand(buffer);
    }

    private void buildBounced(MemorySegment buffer, long bus) {
        int payload = cursor.payloadLength();
        MemorySegment copy = buffer.asSlice(OffloadEngine.BOUNCE_DATA_OFFSET + PacketHeaders.HEADER_BYTES, payload);
        MemorySegment.copy(payloadOf(cursor.fileOffset(), payload), 0, copy, 0, payload);
        statistics.moved(0, payload);
        writeHeader(buffer.asSlice(OffloadEngine.BOUNCE_DATA_OFFSET, PacketHeaders.HEADER_BYTES), copy);
        fd.contiguous(bus, OffloadEngine.BOUNCE_DATA_OFFSET, PacketHeaders.HEADER_BYTES + payload);
        checksumCommand(buffer);
    }

    private void checksumCommand(MemorySegment buffer) {
        if (engine.settings().checksum() == ChecksumMode.HARDWARE_DTC) {
            ParseResult.ofTxBuffer(buffer).tcpIpv4(PacketHeaders.ETHERNET_BYTES,
                    PacketHeaders.ETHERNET_BYTES + PacketHeaders.IPV4_BYTES);
            fd.cmd(fd.cmd() | FrameDescriptor.CMD_DTC | FrameDescriptor.CMD_RPD);
        }
    }

    private MemorySegment payloadOf(long fileOffset, int length) {
        return mapping.payload().asSlice(fileOffset - range.offset(), length);
    }

    private void writeHeader(MemorySegment header, MemorySegment payload) {
        int sequence = flow.initialSequence() + (int) (cursor.fileOffset() - range.offset());
        boolean last = cursor.fileOffset() + cursor.payloadLength() == range.end();
        pieces[0] = payload;
        PacketHeaders.write(header, headerTemplate, sequence, pieces, last, ipId++, engine.settings().checksum());
    }

    private static TcpFlow flowOf(SocketDescriptor socket) throws IOException {
        InetSocketAddress local = socket.localAddress().orElse(null);
        InetSocketAddress remote = socket.remoteAddress().orElse(null);
        return new TcpFlow(SOURCE_MAC, DESTINATION_MAC, ipv4(local, "192.0.2.1"), ipv4(remote, "192.0.2.2"),
                local == null ? 8080 : local.getPort(), remote == null ? 49152 : remote.getPort(),
                ThreadLocalRandom.current().nextInt(), ThreadLocalRandom.current().nextInt(), 0xFFFF, 1460);
    }

    /** The address as IPv4 (IPv4-mapped IPv6 included); a documentation address when it has none. */
    private static Inet4Address ipv4(InetSocketAddress address, String otherwise) throws UnknownHostException {
        if (address != null) {
            byte[] raw = address.getAddress().getAddress();
            if (raw.length == 4) {
                return (Inet4Address) InetAddress.getByAddress(raw);
            }
            if (raw.length == 16 && raw[10] == (byte) 0xFF && raw[11] == (byte) 0xFF) {
                return (Inet4Address) InetAddress.getByAddress(java.util.Arrays.copyOfRange(raw, 12, 16));
            }
        }
        return (Inet4Address) InetAddress.getByName(otherwise);
    }

    @Override
    protected void release() {
        synchronized (engine.portalLock()) {
            for (int i = 0; i < pending; i++) {
                engine.buffers().release(batchFrames[i].buffer());
                batchFrames[i].release();
            }
            pending = 0;
        }
        awaitInFlight();
        synchronized (engine.portalLock()) {
            FrameManager portal = engine.portal();
            try {
                if (!inFlight.isEmpty()) {
                    LOG.warn("{} frames of transfer {} unconfirmed after {} s: unregistering their pages", inFlight.size(), id,
                            CLOSE_WAIT_NANOS / 1_000_000_000L);
                }
                if (txFqid != 0) {
                    portal.enablePort(port, false);
                    portal.destroyQueue(txFqid);
                }
                if (errorFqid != 0) {
                    portal.routeErrors(port, 0);
                    portal.destroyQueue(errorFqid);
                }
                portal.destroyQueue(confirmFqid);
                portal.unregisterDma(region);
            } catch (RuntimeException e) {
                LOG.warn("cleaning up offload transfer {} of {}: {}", id, range, e.getMessage());
            } finally {
                engine.unregister(txFqid, port);
            }
        }
        try {
            if (capture != null) {
                capture.close();
            }
        } catch (IOException e) {
            LOG.warn("closing the capture of offload transfer {}: {}", id, e.getMessage());
        }
        mapping.close();
        arena.close();
    }

    /**
     * Waits, up to 10 s, for the frames still in flight to be confirmed: their
     * pages must stay registered and pinned until then. The portal lock is held only to collect, never
     * while waiting on the notifier, so the other transfers keep going.
     */
    private void awaitInFlight() {
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (true) {
            synchronized (engine.portalLock()) {
                if (inFlight.isEmpty()) {
                    return;
                }
                reap();
                if (inFlight.isEmpty()) {
                    return;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Libc.awaitReadable(notifier, (int) Math.max(1, left / 1_000_000L));
        }
    }
}
