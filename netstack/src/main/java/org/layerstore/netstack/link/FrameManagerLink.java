// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.layerstore.datapath.engine.DmaBufferPool;
import org.layerstore.datapath.pagemap.PagemapReader;
import org.layerstore.hal.dpaa.FrameDescriptor;
import org.layerstore.hal.dpaa.SgEntry;
import org.layerstore.hal.fm.Confirmations;
import org.layerstore.hal.fm.CongestionState;
import org.layerstore.hal.fm.FrameManager;
import org.layerstore.hal.fm.ReceivePort;
import org.layerstore.hal.fm.Rejections;
import org.layerstore.hal.fm.TxQueueOptions;
import org.layerstore.hal.fm.TxTarget;
import org.layerstore.hal.libc.Libc;
import org.layerstore.netstack.buffer.PayloadPiece;
import org.layerstore.netstack.buffer.PayloadSlice;
import org.layerstore.netstack.wire.MacAddress;

/**
 * A {@link Link} over one frame-manager port. TX: every frame is an S/G frame whose table and header sit
 * in a DMA buffer of the link's own BMan pool, and whose payload entries point at the payload slices' bus
 * addresses when the slices lie in memory registered with {@link #dmaMemory()} (a pinned file mapping);
 * other slices are copied behind the header (counted in {@link #copiedPayloadBytes()}). The checksums
 * are the stack's (software). The TX queue's context_a has FMan release the header buffer to the link's pool
 * once the frame is sent (EBD); the TX confirmation releases the link's
 * reference on the payload pieces (their pages stay pinned until TCP's cumulative ACK releases the
 * stack's). RX: frames arrive in buffers of a second pool through the port's RX queue and are released
 * to it once the stack has handled them.
 *
 * <p>The TX queue is in a congestion group of its own, as dpaa_eth's egress CGR: while more than
 * {@code congestionBytes} are queued for the port the group is congested; the link learns it from the group's
 * state change notification and then holds its sends (dpaa_eth stops its queues) until the group leaves
 * congestion, and a frame QMan rejected meanwhile (tail drop, on the message ring) gives its header buffer and
 * payload references back through the same cleanup as a confirmed frame, once.
 *
 * <p>On a board with LS1043A erratum A050385 (the portal's {@code a050385}: S/G data 256-byte aligned and every
 * non-last fragment a multiple of 256 bytes, which no 54-byte header entry meets) every frame is bounced: header
 * and payload are copied into the DMA buffer at a 256-byte aligned offset and sent as one contiguous frame, as the
 * Linux driver's workaround does; the payload bytes count as copied ({@link #bouncedFrames()}).
 *
 * <p>Frames the hardware confirms with a DMA error (it could not read a page: a file truncated while it was
 * sent), and, with pin verification on, frames whose pinned pages moved (never sent), are counted and told to
 * the link's {@link DmaErrorListener}.
 *
 * <p>Used by the stack's one event-loop thread only; the portal is the link's alone.
 */
public final class FrameManagerLink implements Link, LinkCounters, AutoCloseable {

    /** Bytes of each TX and RX buffer: a 1514-byte frame after a 64-byte prefix (power of two, within a page). */
    static final int BUFFER_BYTES = 2048;
    /** Where the S/G table starts in a TX buffer (after the headroom the FD offset skips). */
    private static final int TABLE_OFFSET = FrameDescriptor.HEADROOM;
    /** Where the header (and copied payload) starts in a TX buffer: after a 16-entry table. */
    private static final int DATA_OFFSET = TABLE_OFFSET + SgEntry.MAX_ENTRIES * (int) SgEntry.BYTES;
    private static final int RX_DATA_OFFSET = ReceivePort.MIN_DATA_OFFSET;
    private static final int RECEIVE_BURST = 64;
    /**
     * Frames built before they go to the portal in one enqueue call ({@link #flush}): a turn of the stack rarely
     * builds more (a window's worth of segments after an ACK), and the TX ring holds many times this.
     */
    static final int TX_BURST = 64;
    /**
     * How long a send waits for the hardware to make room (a TX buffer, a slot on the TX ring) before refusing the frame
     * (dpaa_xmit retries its enqueue the same way): the FMan drains the ring at wire speed, so a refusal
     * means a stalled port, not a busy one.
     */
    private static final long HARDWARE_PATIENCE_NANOS = 1_000_000_000L;
    /** Longest sleep while frames are in flight (see {@link #awaitEvent}). */
    private static final int CONFIRMATION_SWEEP_MILLIS = 10;

    /** Where a bounced frame starts in a TX buffer: 256-byte aligned (A050385), after the headroom. */
    private static final int BOUNCE_OFFSET = 256;
    /** A bounced frame holds no piece: its bytes are the buffer's own. */
    private static final PayloadPiece[] NO_PIECES = new PayloadPiece[0];
    private final FrameManager portal;
    private final PagemapReader pagemap;
    /** Erratum A050385: every frame is copied into one contiguous 256-byte aligned buffer. */
    private final boolean bounce;
    /** Debug mode: the pinned pages' frames are re-read through pagemap before each frame that points at them. */
    private final boolean verifyPins;
    private final DmaErrorListener dmaErrors;
    private final int port;
    private final MacAddress mac;
    private final int mtu;
    private final Arena arena = Arena.ofShared();
    private final DmaBufferPool txBuffers;
    private final DmaBufferPool rxBuffers;
    private final DmaMemoryMap dmaMemory;
    private final int confirmQueue;
    private final int txQueue;
    private final int rxQueue;
    private final int txGroup;
    private final Rejections rejections = Rejections.allocate(arena, 16);
    private final int rxNotifier;
    private final int confirmNotifier;
    /** The descriptors of the frames built since the last {@link #flush}, oldest first; the newest {@link #burstCount} of {@link #inFlight}. */
    private final MemorySegment burst = arena.allocate(FrameDescriptor.BYTES * TX_BURST, 16);
    private int burstCount;
    private final Confirmations confirmations = Confirmations.allocate(arena, 32);
    private final Confirmations received = Confirmations.allocate(arena, RECEIVE_BURST);
    /** A second array for frames set aside inside a send, which may run while {@link #received} is being handed over. */
    private final Confirmations setAside = Confirmations.allocate(arena, RECEIVE_BURST);
    /**
     * Frames built and not yet confirmed or rejected, in build order: the order they are enqueued and FMan confirms
     * them in (the last {@link #burstCount} are still in {@link #burst}).
     */
    private final ArrayDeque<Sent> inFlight = new ArrayDeque<>();
    private final TxQueueOptions txOptions;
    private final ReceiveBacklog backlog;
    private final long[] runAddresses = new long[SgEntry.MAX_ENTRIES];
    private final int[] runLengths = new int[SgEntry.MAX_ENTRIES];
    private final SgEntry entry;
    private final FilePieces filePieces;
    /** Single writer (the stack's thread); volatile for the telemetry reader. */
    private volatile long copiedPayloadBytes;
    private volatile long dmaPayloadBytes;
    private long txErrors;
    private long rxErrors;
    private long noTxBuffer;
    private long ringFull;
    private long bufferWaits;
    private long txRejections;
    private long congestionWaits;
    private long txBursts;
    private long unsentFrames;
    /** The TX queue's congestion group is congested, as its last state change notification said. */
    private boolean congested;
    private final LinkWakeup wakeup = new LinkWakeup();
    private final int[] waitable = new int[2];
    /** The frame being handed to the stack ({@link #hand}), its buffer, and the piece that lends it (null until kept). */
    private long handingBus = -1;
    private MemorySegment handingFrame;
    private PayloadPiece handingPiece;
    private final int rxBufferCount;
    /** Frames one receive hands over at most from the RX queue (see {@link #deliver}). */
    private volatile int rxBudget = RECEIVE_BURST;
    private volatile long rxBudgetSpent;
    private final int maxLentBuffers;
    /** Single writer (the stack's thread); volatile for the telemetry reader. */
    private volatile long lentBuffers;
    private volatile int receivePoolDepth;
    private long lendRefusals;
    private volatile long bouncedFrames;
    private volatile long dmaErrorFrames;
    private volatile long pinsMoved;

    private FrameManagerLink(FrameManager portal, int port, String interfaceName, MacAddress mac, int mtu,
            PagemapReader pagemap, int buffers, long congestionBytes, boolean verifyPins, DmaErrorListener dmaErrors)
            throws IOException {
        this.portal = portal;
        this.pagemap = pagemap;
        this.bounce = portal.config().a050385();
        this.verifyPins = verifyPins && !portal.config().smmu();
        this.dmaErrors = dmaErrors;
        this.port = port;
        this.mac = mac;
        this.mtu = mtu;
        boolean smmu = portal.config().smmu();
        this.txBuffers = new DmaBufferPool(portal, pagemap, BUFFER_BYTES, buffers, smmu);
        this.rxBuffers = new DmaBufferPool(portal, pagemap, BUFFER_BYTES, buffers, smmu);
        this.backlog = new ReceiveBacklog(buffers);
        this.rxBufferCount = buffers;
        this.maxLentBuffers = buffers * 3 / 4;
        this.dmaMemory = new DmaMemoryMap(portal, pagemap.pageSize());
        this.confirmQueue = portal.createConfirmQueue(port);
        this.txGroup = portal.createCongestionGroup(congestionBytes, true);
        // The header buffers come from a BMan pool, so FMan can release them itself (EBD); the payload
        // entries name no pool (file pages) and wait for the confirmation to drop their references.
        this.txOptions = TxQueueOptions.NONE.inCongestionGroup(txGroup).fmanReleasesBuffers();
        this.txQueue = portal.createTxQueue(port, confirmQueue, txOptions);
        this.rxQueue = portal.createReceiveQueue(port);
        portal.bindPort(port, TxTarget.networkInterface(interfaceName));
        portal.receiveOn(port, new ReceivePort(rxQueue, rxBuffers.bpid(), BUFFER_BYTES, RX_DATA_OFFSET));
        this.rxNotifier = portal.confirmNotifier(rxQueue, 1);
        this.confirmNotifier = portal.confirmNotifier(confirmQueue, 1);
        this.entry = SgEntry.at(arena.allocate(SgEntry.BYTES, 16), 0);
        this.filePieces = new FilePieces(dmaMemory, pagemap, !smmu);
    }

    /**
     * Opens the link on FMan port {@code port} of {@code portal}, wired to {@code interfaceName} (a veth
     * end with no IP address, its MAC and MTU read from sysfs), with {@code buffers} TX and as many RX
     * buffers. The portal's bus addressing (physical or SMMU) decides how buffers are registered.
     */
    public static FrameManagerLink open(FrameManager portal, int port, String interfaceName, PagemapReader pagemap,
            int buffers) throws IOException {
        return open(portal, port, interfaceName, pagemap, buffers, (long) buffers * BUFFER_BYTES, false,
                DmaErrorListener.NONE);
    }

    /**
     * As {@link #open(FrameManager, int, String, PagemapReader, int)}, with the TX queue's congestion group
     * congested beyond {@code congestionBytes} queued. The default, what every TX buffer could hold, is never
     * reached: the TX buffers run out first (each frame holds one until it is sent), so the group only
     * rejects when a caller asks for less.
     */
    public static FrameManagerLink open(FrameManager portal, int port, String interfaceName, PagemapReader pagemap,
            int buffers, long congestionBytes) throws IOException {
        return open(portal, port, interfaceName, pagemap, buffers, congestionBytes, false, DmaErrorListener.NONE);
    }

    /**
     * As {@link #open(FrameManager, int, String, PagemapReader, int)}, telling {@code dmaErrors} of every frame the
     * hardware could not read, and with {@code verifyPins} (physical addressing only) re-reading the page frames of
     * every pinned page a frame points at before it is enqueued: a page that moved since it was registered is never
     * given to the hardware by its old address (the frame is refused, counted in {@link #pinsMoved()}).
     */
    public static FrameManagerLink open(FrameManager portal, int port, String interfaceName, PagemapReader pagemap,
            int buffers, boolean verifyPins, DmaErrorListener dmaErrors) throws IOException {
        return open(portal, port, interfaceName, pagemap, buffers, (long) buffers * BUFFER_BYTES, verifyPins, dmaErrors);
    }

    private static FrameManagerLink open(FrameManager portal, int port, String interfaceName, PagemapReader pagemap,
            int buffers, long congestionBytes, boolean verifyPins, DmaErrorListener dmaErrors) throws IOException {
        InterfaceFacts facts = InterfaceFacts.of(interfaceName);
        int mtu = facts.mtu();
        int largest = mtu + 14;
        if (largest > portal.config().maxFrameSize() || DATA_OFFSET + largest > BUFFER_BYTES) {
            throw new IllegalArgumentException("MTU " + mtu + " of " + interfaceName + " does not fit the port's "
                    + portal.config().maxFrameSize() + "-byte frames or " + BUFFER_BYTES + "-byte buffers");
        }
        return new FrameManagerLink(portal, port, interfaceName, facts.mac(), mtu, pagemap, buffers, congestionBytes,
                verifyPins, dmaErrors);
    }

    /** Frames copied whole into an aligned buffer because the board has erratum A050385. */
    public long bouncedFrames() {
        return bouncedFrames;
    }

    /**
     * Frames the hardware confirmed with a DMA error (it could not read a page they pointed at), and frames the
     * stack could not build because a pinned page of theirs went away ({@link #payloadUnreadable}).
     */
    public long dmaErrorFrames() {
        return dmaErrorFrames;
    }

    /** Frames refused because a pinned page they pointed at had moved ({@code verifyPins}). */
    public long pinsMoved() {
        return pinsMoved;
    }

    /**
     * The stack's software checksum reads every payload byte before a frame reaches this link, so a pinned page
     * that went away (a file truncated while sent) shows there first: the same failure as a frame the hardware
     * could not read, reported the same way.
     */
    @Override
    public void payloadUnreadable(String detail) {
        dmaErrorFrames++;
        dmaErrors.dmaError("DMA error: " + detail);
    }

    /** The memory whose bytes the hardware reads by bus address: register file pages here to send them uncopied. */
    public DmaMemoryMap dmaMemory() {
        return dmaMemory;
    }

    /**
     * File bodies as pieces registered with {@link #dmaMemory()}: pinned, by physical address (pagemap PFNs,
     * CAP_SYS_ADMIN) or by SMMU-translated bus address, as the portal is configured.
     */
    @Override
    public FilePieceSource filePieces() {
        return filePieces;
    }

    /** Payload bytes the CPU copied behind a header because they were in no DMA region. */
    @Override
    public long copiedPayloadBytes() {
        return copiedPayloadBytes;
    }

    /** Payload bytes the hardware read by bus address (S/G payload entries). */
    @Override
    public long dmaPayloadBytes() {
        return dmaPayloadBytes;
    }

    /** File bytes of {@link #filePieces()} pinned and registered now. */
    @Override
    public long pinnedBytes() {
        return filePieces.mappedBytes();
    }

    /** Frames confirmed with a TX error status (not transmitted). */
    public long txErrors() {
        return txErrors;
    }

    /** Frames received with an RX error status (dropped before the stack). */
    public long rxErrors() {
        return rxErrors;
    }

    /** Enqueue calls of a burst ({@link #flush}) that found the TX ring full and waited for confirmations. */
    public long ringFullWaits() {
        return ringFull;
    }

    /** Sends that found every TX buffer in flight and waited for confirmations. */
    public long txBufferWaits() {
        return bufferWaits;
    }

    /** Frames QMan rejected (the congestion group's tail drop); their buffers came back as at a confirmation. */
    public long txRejections() {
        return txRejections;
    }

    /** Bursts ({@link #flush}) that found the TX queue's congestion group congested and waited for it to leave congestion. */
    public long congestionWaits() {
        return congestionWaits;
    }

    /** Enqueue calls that gave the portal frames: each is one burst or, when the ring filled, part of one. */
    public long txBursts() {
        return txBursts;
    }

    /**
     * Frames built and never taken by the portal: the TX ring stayed full, or the congestion group congested, for
     * the whole wait of their burst. Their buffers and references went back at once; TCP repairs them as losses.
     */
    public long unsentFrames() {
        return unsentFrames;
    }

    /** TX buffers not in flight: all of them once every frame was confirmed or rejected. */
    public int freeTxBuffers() {
        return txBuffers.free();
    }

    /** Frames refused because every TX buffer stayed in flight for the whole wait. */
    public long txBufferShortages() {
        return noTxBuffer;
    }

    @Override
    public MacAddress macAddress() {
        return mac;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int receive(FrameReceiver receiver, int timeoutMillis) {
        flush(); // what the Netty tasks built since the last turn, before any wait
        reclaim();
        portal.acknowledgeNotification(rxQueue);
        int frames = deliver(receiver);
        if (frames == 0 && timeoutMillis > 0) {
            awaitEvent(timeoutMillis);
            reclaim();
            portal.acknowledgeNotification(rxQueue);
            frames = deliver(receiver);
        }
        return frames;
    }

    /**
     * Sleeps until a frame arrives (the RX queue's notifier), {@link #wakeup} is called, or {@code timeoutMillis}
     * pass; while frames are in flight, at most {@link #CONFIRMATION_SWEEP_MILLIS}, so that the last
     * confirmations of a burst give their buffers and payload references back soon (the pages they hold
     * stay pinned until then), as the portal's interrupt timeout reports confirmations below its threshold.
     * The confirmation notifier itself is not waited on: a wake-up per confirmed frame costs the loop more
     * than the sweep, and a send that needs a buffer waits for confirmations itself.
     */
    private void awaitEvent(int timeoutMillis) {
        waitable[0] = wakeup.descriptor();
        waitable[1] = rxNotifier;
        int wait = inFlight.isEmpty() ? timeoutMillis : Math.min(timeoutMillis, CONFIRMATION_SWEEP_MILLIS);
        if ((Libc.awaitAnyReadable(waitable, 2, wait) & 1) != 0) {
            wakeup.clear();
        }
    }

    @Override
    public void wakeup() {
        wakeup.signal();
    }

    /**
     * Hands the frames waiting on the RX queue to the stack, burst after burst until the queue is empty or the turn's
     * budget ({@link #rxBudget}) is spent, and gives their buffers back to the pool after each burst, so the port has
     * them again while the stack works through the rest. Every frame left on the queue holds an RX buffer, and the
     * port discards what arrives when the pool is empty (FMan's no-buffer discard): under load a queue drained 64
     * frames a turn fell a pool's worth behind. The budget adapts, as NAPI's does per poll: a turn that ends with
     * frames still waiting doubles it (up to the RX pool), one that empties the queue within half of it halves it
     * (down to one burst), so an idle loop goes back to its tasks and timers soon.
     */
    private int deliver(FrameReceiver receiver) {
        int frames = 0;
        for (; !backlog.isEmpty(); backlog.removeOldest()) {
            hand(receiver, backlog.address(), backlog.offset(), backlog.length(), backlog.status());
            frames++;
        }
        boolean more;
        do {
            int n = portal.dequeueConfirmations(rxQueue, received);
            for (int i = 0; i < n; i++) {
                FrameDescriptor fd = received.descriptor(i);
                hand(receiver, fd.address(), fd.offset(), fd.length(), fd.status());
            }
            rxBuffers.flush();
            frames += n;
            more = n == received.capacity();
            // A send inside the burst may have set frames aside: they come before those still queued, next receive.
        } while (more && frames < rxBudget && backlog.isEmpty());
        if (more) {
            rxBudget = Math.min(rxBudget * 2, rxBufferCount);
            rxBudgetSpent++;
        } else if (frames < rxBudget / 2) {
            rxBudget = Math.max(rxBudget / 2, RECEIVE_BURST);
        }
        receivePoolDepth = rxBuffers.free();
        return frames;
    }

    /**
     * One frame to the stack. Its buffer goes back to the pool afterwards unless the stack kept some of its
     * bytes ({@link #retainReceived}): then when the last of those references goes.
     */
    private void hand(FrameReceiver receiver, long bus, int offset, int length, int status) {
        try {
            if ((status & FrameDescriptor.STATUS_RX_ERRORS) != 0) {
                rxErrors++;
                receiver.onRejectedFrame();
            } else {
                handingBus = bus;
                handingFrame = rxBuffers.memory(bus).asSlice(offset, length);
                receiver.onFrame(handingFrame);
            }
        } finally {
            PayloadPiece kept = handingPiece;
            handingBus = -1;
            handingFrame = null;
            handingPiece = null;
            if (kept != null) {
                kept.release();
            } else {
                rxBuffers.release(bus);
            }
        }
    }

    /**
     * Lends the buffer of the frame being handed over, so its bytes reach the application uncopied. At most
     * {@link #maxLentBuffers} (three quarters of the RX pool) are lent at once, so that however many bytes
     * the stack's connections keep (unread data, reassembly) the port still has buffers to receive ACKs,
     * handshakes and other peers' segments into; past it the caller copies.
     */
    @Override
    public PayloadPiece retainReceived(MemorySegment bytes) {
        if (handingBus < 0) {
            return null;
        }
        if (handingPiece == null) {
            if (lentBuffers >= maxLentBuffers) {
                lendRefusals++;
                return null;
            }
            long bus = handingBus;
            handingPiece = PayloadPiece.of(handingFrame, () -> giveBack(bus));
            lentBuffers++;
        }
        PayloadPiece frame = handingPiece.retain();
        return PayloadPiece.of(bytes, frame::release);
    }

    private void giveBack(long bus) {
        lentBuffers--;
        rxBuffers.release(bus);
    }

    /** RX buffers lent to the stack now (bytes received and kept past their frame: unread or out of order). */
    @Override
    public long receiveBuffersLent() {
        return lentBuffers;
    }

    /** RX buffers the link gave its port: the pool's depth at rest. */
    public int receivePoolSize() {
        return rxBufferCount;
    }

    /** Free RX buffers (BMan pool and burst cache) as of the last receive: the pool's depth. */
    public int receivePoolDepth() {
        return receivePoolDepth;
    }

    /** Frames the next receive hands over at most from the RX queue: its budget now (see {@link #receiveBudgetsSpent()}). */
    public int receiveBudget() {
        return rxBudget;
    }

    /** Receives that spent their whole budget with frames still waiting on the RX queue (each doubled the budget). */
    public long receiveBudgetsSpent() {
        return rxBudgetSpent;
    }

    /** Times a frame's buffer could not be lent because {@link #maxLentBuffers} were out: its bytes were copied. */
    public long lendRefusals() {
        return lendRefusals;
    }

    /**
     * Moves received frames off the RX queue into the backlog (they keep their buffers), so that the
     * confirmations queued behind them on the portal's dequeue ring can arrive. Returns how many moved.
     */
    private int setReceivedAside() {
        int moved = 0;
        int n;
        while (backlog.room() >= setAside.capacity() && (n = portal.dequeueConfirmations(rxQueue, setAside)) > 0) {
            for (int i = 0; i < n; i++) {
                backlog.add(setAside.descriptor(i));
            }
            moved += n;
        }
        return moved;
    }

    @Override
    public boolean send(MemorySegment header, List<PayloadSlice> payload) {
        if (verifyPins && pinnedPageMoved(payload)) {
            return false;
        }
        long bus = acquireTxBuffer();
        if (bus < 0) {
            noTxBuffer++;
            return false;
        }
        return bounce ? sendBounced(bus, header, payload) : sendScatterGather(bus, header, payload);
    }

    /** The debug check: true (reported, counted) when a pinned page of a DMA-able slice is not where it was registered. */
    private boolean pinnedPageMoved(List<PayloadSlice> payload) {
        for (PayloadSlice slice : payload) {
            Optional<String> moved;
            try {
                moved = dmaMemory.moved(slice.bytes(), pagemap);
            } catch (IOException e) {
                moved = Optional.of("pagemap could not be read to check the pinned pages: " + e.getMessage());
            }
            if (moved.isPresent()) {
                pinsMoved++;
                dmaErrors.dmaError("DMA error: " + moved.get() + "; the frame was not sent");
                return true;
            }
        }
        return false;
    }

    /** Erratum A050385: header and payload copied into one contiguous frame that starts 256-byte aligned. */
    private boolean sendBounced(long bus, MemorySegment header, List<PayloadSlice> payload) {
        MemorySegment buffer = txBuffers.memory(bus);
        int at = BOUNCE_OFFSET;
        MemorySegment.copy(header, 0, buffer, at, header.byteSize());
        at += (int) header.byteSize();
        for (PayloadSlice slice : payload) {
            if (at + slice.length() > BUFFER_BYTES) {
                txBuffers.release(bus);
                return false;
            }
            MemorySegment.copy(slice.bytes(), 0, buffer, at, slice.length());
            at += slice.length();
        }
        FrameDescriptor.at(burst, burstCount).clear().contiguous(bus, BOUNCE_OFFSET, at - BOUNCE_OFFSET)
                .bpid(FrameDescriptor.BPID_NONE);
        copiedPayloadBytes += at - BOUNCE_OFFSET - header.byteSize();
        bouncedFrames++;
        built(new Sent(bus, NO_PIECES, true));
        return true;
    }

    private boolean sendScatterGather(long bus, MemorySegment header, List<PayloadSlice> payload) {
        MemorySegment buffer = txBuffers.memory(bus);
        PayloadPiece[] retained = new PayloadPiece[payload.size()];
        int pieces = 0;
        int copiedAt = DATA_OFFSET + (int) header.byteSize();
        MemorySegment.copy(header, 0, buffer, DATA_OFFSET, header.byteSize());
        int entries = add(buffer, 0, bus + DATA_OFFSET, (int) header.byteSize());
        int total = (int) header.byteSize();
        for (PayloadSlice slice : payload) {
            MemorySegment bytes = slice.bytes();
            int runs = entries < SgEntry.MAX_ENTRIES ? dmaMemory.runs(bytes, runAddresses, runLengths, 0) : -1;
            if (runs > 0 && entries + runs <= SgEntry.MAX_ENTRIES) {
                for (int r = 0; r < runs; r++) {
                    entries = add(buffer, entries, runAddresses[r], runLengths[r]);
                }
                retained[pieces++] = slice.piece().retain();
                dmaPayloadBytes += slice.length();
            } else {
                if (copiedAt + slice.length() > BUFFER_BYTES || entries == SgEntry.MAX_ENTRIES) {
                    return abandon(bus, retained, pieces);
                }
                MemorySegment.copy(bytes, 0, buffer, copiedAt, slice.length());
                entries = add(buffer, entries, bus + copiedAt, slice.length());
                copiedAt += slice.length();
                copiedPayloadBytes += slice.length();
            }
            total += slice.length();
        }
        SgEntry.at(buffer.asSlice(TABLE_OFFSET), entries - 1).last(true);
        FrameDescriptor.at(burst, burstCount).clear().scatterGather(bus, TABLE_OFFSET, total).bpid(txBuffers.bpid());
        built(new Sent(bus, pieces == retained.length ? retained : Arrays.copyOf(retained, pieces), false));
        return true;
    }

    /**
     * A free TX buffer; when every one is in flight, waits for the hardware's confirmations to give some
     * back (up to {@link #HARDWARE_PATIENCE_NANOS}), as dpaa_eth stops its queue until confirmations
     * free buffers. -1 when none came back in time.
     */
    private long acquireTxBuffer() {
        long bus = txBuffers.acquire();
        if (bus < 0 && burstCount > 0) {
            flush(); // the burst's frames hold buffers that only their confirmations give back
            bus = txBuffers.acquire();
        }
        if (bus < 0) {
            bufferWaits++;
        }
        long deadline = System.nanoTime() + HARDWARE_PATIENCE_NANOS;
        while (bus < 0) {
            if (!awaitConfirmations(deadline)) {
                return -1;
            }
            bus = txBuffers.acquire();
        }
        return bus;
    }

    /**
     * Takes the confirmations there are, or sleeps on the confirmation notifier (10 ms at most) for the
     * next; false once {@code deadline} (System.nanoTime) passed without one. Received frames met first
     * are set aside for the next receive: left on the portal's dequeue ring, they would hold back the
     * confirmations behind them (and with them every TX buffer).
     */
    private boolean awaitConfirmations(long deadline) {
        portal.acknowledgeNotification(confirmQueue);
        if (reclaim() > 0 || (setReceivedAside() > 0 && reclaim() > 0)) {
            return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        Libc.awaitReadable(confirmNotifier, (int) Math.max(1, Math.min(10, left / 1_000_000)));
        return true;
    }

    /**
     * Appends an S/G entry, merging it into the previous one when the bytes follow on in bus space.
     * Returns the entry count.
     */
    private int add(MemorySegment buffer, int entries, long address, int length) {
        MemorySegment table = buffer.asSlice(TABLE_OFFSET, SgEntry.MAX_ENTRIES * SgEntry.BYTES);
        if (entries > 0) {
            SgEntry previous = entry.moveTo(table, entries - 1);
            if (previous.address() + previous.length() == address) {
                previous.length(previous.length() + length);
                return entries;
            }
        }
        entry.moveTo(table, entries).set(address, 0, length, false);
        return entries + 1;
    }

    /** A frame whose descriptor is the next of {@link #burst}: it joins the burst, which goes to the portal once full. */
    private void built(Sent sent) {
        inFlight.addLast(sent);
        if (++burstCount == TX_BURST) {
            flush();
        }
    }

    /**
     * Enqueues the frames built since the last flush in one portal call: one EQCR refill per 7 frames and one
     * producer-index write each, instead of a call, a doorbell and a wake-up of the FMan per frame (dpaa_eth_queue_tx
     * hands qman_enqueue_multi its burst the same way). A congested TX queue (its group's last notification) and a
     * full ring are waited out on the confirmation notifier, taking confirmations as they come, up to
     * {@link #HARDWARE_PATIENCE_NANOS}; what the ring did not take is enqueued next, in order. Frames QMan rejects
     * come back one by one on the message ring ({@link #takeRejections}), whatever their place in the burst. Frames
     * still unsent after the wait are given up ({@link #unsentFrames()}). The stack calls it at the end of each turn.
     */
    @Override
    public void flush() {
        long deadline = System.nanoTime() + HARDWARE_PATIENCE_NANOS;
        boolean heldByCongestion = false;
        while (burstCount > 0) {
            int taken = congested ? 0 : portal.enqueue(txQueue, burst, burstCount);
            if (taken > 0) {
                txBursts++;
                dropTaken(taken);
                continue;
            }
            if (congested && !heldByCongestion) {
                congestionWaits++;
                heldByCongestion = true;
            } else if (!congested) {
                ringFull++;
            }
            if (!awaitConfirmations(deadline)) {
                giveUpBurst();
            }
        }
    }

    /** The burst's first {@code taken} frames are the portal's now: the rest move to the front. */
    private void dropTaken(int taken) {
        burstCount -= taken;
        MemorySegment.copy(burst, taken * FrameDescriptor.BYTES, burst, 0, burstCount * FrameDescriptor.BYTES);
    }

    /** The frames of the burst the portal never took: each gives its buffer and references back, once. */
    private void giveUpBurst() {
        for (; burstCount > 0; burstCount--) {
            finished(inFlight.pollLast(), true);
            unsentFrames++;
        }
    }

    private boolean abandon(long bus, PayloadPiece[] retained, int pieces) {
        for (int i = 0; i < pieces; i++) {
            retained[i].release();
        }
        txBuffers.release(bus);
        return false;
    }

    /**
     * Takes the TX rejections and confirmations (each frame's payload references go back, and its header
     * buffer unless FMan released it) and the congestion group's state changes. Returns how many frames
     * came back.
     */
    private int reclaim() {
        int total = takeRejections();
        int n;
        while ((n = portal.dequeueConfirmations(confirmQueue, confirmations)) > 0) {
            for (int i = 0; i < n; i++) {
                FrameDescriptor fd = confirmations.descriptor(i);
                boolean errored = (fd.status() & FrameDescriptor.STATUS_TX_ERRORS) != 0;
                if (errored) {
                    txErrors++;
                }
                if ((fd.status() & FrameDescriptor.STATUS_DMA) != 0) {
                    dmaErrorFrames++;
                    dmaErrors.dmaError(String.format("DMA error: FMan port %d could not read a %d-byte frame (buffer 0x%x,"
                            + " status 0x%08x): a page it points at went away, e.g. a file truncated while it was sent",
                            port, fd.length(), fd.address(), fd.status()));
                }
                Sent sent = confirmed(fd.address());
                // A bounced frame names no pool (BPID_NONE), so FMan never releases its buffer, whatever context_a says.
                finished(sent, errored || sent.bounced() || !txOptions.releasedByFman());
            }
            total += n;
        }
        for (CongestionState change : portal.congestionChanges()) {
            if (change.group() == txGroup) {
                congested = change.congested();
            }
        }
        return total;
    }

    /**
     * The frames QMan rejected: never sent, so their buffers are still the link's. Each is the newest frame on
     * its buffer (it held the buffer from then on), though an older one FMan released may still await its
     * confirmation.
     */
    private int takeRejections() {
        int total = 0;
        int n;
        while ((n = portal.dequeueRejections(rejections)) > 0) {
            for (int i = 0; i < n; i++) {
                long bus = rejections.descriptor(i).address();
                Iterator<Sent> newestFirst = inFlight.descendingIterator();
                Sent sent = null;
                while (sent == null && newestFirst.hasNext()) {
                    Sent s = newestFirst.next();
                    if (s.bus() == bus) {
                        sent = s;
                        newestFirst.remove();
                    }
                }
                if (sent == null) {
                    throw new IllegalStateException("a rejection of 0x" + Long.toHexString(bus) + ", not in flight");
                }
                txRejections++;
                finished(sent, true);
            }
            total += n;
        }
        return total;
    }

    /**
     * The oldest frame in flight, which a confirmation of {@code bus} is for: FMan confirms a queue's frames in
     * order. Rejected frames are skipped by taking the rejections first; QMan rejects a frame before it queues
     * the frames behind it, so a rejection that was not there yet is there by the time their confirmation is.
     */
    private Sent confirmed(long bus) {
        if (inFlight.isEmpty() || inFlight.peekFirst().bus() != bus) {
            takeRejections();
        }
        Sent sent = inFlight.pollFirst();
        if (sent == null || sent.bus() != bus) {
            throw new IllegalStateException("a confirmation of 0x" + Long.toHexString(bus) + " out of order");
        }
        return sent;
    }

    /** The one cleanup of a frame the hardware is done with: its pieces, then its buffer when it is the link's. */
    private void finished(Sent sent, boolean releaseBuffer) {
        for (PayloadPiece p : sent.pieces()) {
            p.release();
        }
        if (releaseBuffer) {
            txBuffers.release(sent.bus());
        }
    }

    /** A frame in flight: its TX buffer, the payload pieces it holds a reference on, and whether it was bounced. */
    private record Sent(long bus, PayloadPiece[] pieces, boolean bounced) {
    }

    @Override
    public void close() {
        flush();
        portal.drain(Duration.ofSeconds(10));
        reclaim();
        portal.receiveOn(port, null);
        deliver(frame -> { });
        txBuffers.close();
        rxBuffers.close();
        wakeup.close();
        arena.close();
    }
}
