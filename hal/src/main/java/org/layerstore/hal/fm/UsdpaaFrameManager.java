// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.layerstore.hal.HalException;
import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.dpaa.BmBuffer;
import org.layerstore.hal.dpaa.FrameDescriptor;
import org.layerstore.hal.libc.Errno;

/**
 * The frame manager on the usdpaa backend's driven portals: one QMan and one BMan portal of a
 * linux-qoriq kernel, driven by the library's silicon portal driver ({@code layerstore/usdpaa_fm.h}).
 * What the C API has is mapped: one confirmation queue on the portal's dedicated channel, TX queues of
 * the ports the device tree gives ({@link UsdpaaTxPort}), enqueue, the DQRR's confirmations and the
 * MR's rejections (whose buffers the library has released), and the one pool the open seeded from the
 * DMA region. Everything else throws {@link UnsupportedOperationException} naming the method and what is
 * missing. One portal per thread: not thread-safe.
 */
public final class UsdpaaFrameManager implements FrameManager {

    /** Buffers seeded into the pool at open (S/G tables and headers of a TX ring of up to 1024 frames). */
    static final int POOL_BUFFERS = 1024;
    private static final int HEADROOM = 256;
    private static final int CACHE_LINE = 64;
    private static final String NO_CONGESTION_GROUPS = "congestion groups are not in the usdpaa C API yet";
    private static final String NO_RX_PORTS = "the FMan RX ports are not in the usdpaa C API yet";

    private final UsdpaaPortal portal;
    private final FrameManagerConfig config;
    private final Map<Integer, UsdpaaTxPort> ports;
    private int confirmFqid = -1;
    private boolean closed;

    UsdpaaFrameManager(UsdpaaPortal portal, FrameManagerConfig config, List<UsdpaaTxPort> txPorts) {
        this.portal = portal;
        this.config = config;
        this.ports = txPorts.stream().collect(Collectors.toUnmodifiableMap(UsdpaaTxPort::port, Function.identity()));
    }

    /**
     * Opens the devices with a pool of {@link #POOL_BUFFERS} buffers, each a frame of
     * {@code config.maxFrameSize()} plus headroom, and the TX ports {@code txPorts} (from the board).
     */
    public static UsdpaaFrameManager open(FrameManagerConfig config, List<UsdpaaTxPort> txPorts) {
        return new UsdpaaFrameManager(NativeUsdpaaPortal.open(1, POOL_BUFFERS, bufferSize(config)), config, txPorts);
    }

    /** The pool buffers' size: the largest frame and its headroom, in whole cache lines. */
    static int bufferSize(FrameManagerConfig config) {
        int bytes = config.maxFrameSize() + HEADROOM;
        return (bytes + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
    }

    private static UnsupportedOperationException unsupported(String method, String why) {
        return new UnsupportedOperationException("usdpaa " + method + ": " + why);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("usdpaa frame manager is closed");
        }
    }

    @Override
    public String backend() {
        return FrameManagerBackends.USDPAA;
    }

    @Override
    public FrameManagerConfig config() {
        return config;
    }

    /** The BMan pool the open seeded from the DMA region. */
    public int pool() {
        return portal.pool();
    }

    @Override
    public int createConfirmQueue(int contextB, int congestionGroup) {
        checkOpen();
        if (congestionGroup != TxQueueOptions.NO_GROUP) {
            throw unsupported("createConfirmQueue", NO_CONGESTION_GROUPS);
        }
        if (confirmFqid >= 0) {
            throw unsupported("createConfirmQueue", "a second confirmation queue: the portal's one DQRR is not "
                    + "sorted by queue, so dequeueConfirmations could not keep them apart");
        }
        confirmFqid = HalException.check(portal.createConfirmQueue(contextB), "lsh_usdpaa_fm_create_confirm_queue",
                "contextB=0x" + Integer.toHexString(contextB));
        return confirmFqid;
    }

    @Override
    public int createReceiveQueue(int contextB) {
        throw unsupported("createReceiveQueue", NO_RX_PORTS);
    }

    @Override
    public void receiveOn(int port, ReceivePort rx) {
        throw unsupported("receiveOn", NO_RX_PORTS);
    }

    @Override
    public int createTxQueue(int port, int confirmFqid, TxQueueOptions options) {
        checkOpen();
        UsdpaaTxPort tx = txPort(port);
        if (options.congestionGroup() != TxQueueOptions.NO_GROUP) {
            throw unsupported("createTxQueue", NO_CONGESTION_GROUPS);
        }
        // Every TX queue has dpaa_eth's context_a, whose EBD makes FMan release a sent frame's pool
        // buffers: a caller asking for less would release them a second time after the confirmation.
        if (!options.releasedByFman() || (options.contextA() & ~hal_h.LSH_USDPAA_TX_CONTEXT_A()) != 0) {
            throw unsupported("createTxQueue", "context_a 0x" + Long.toHexString(options.contextA())
                    + ": a TX queue has dpaa_eth's (OVOM, A2V, A0V, B0V, EBD: FMan releases the sent frame's "
                    + "pool buffers), so ask for TxQueueOptions.fmanReleasesBuffers()");
        }
        HalException.check(portal.createTxQueue(tx.txFqid(), tx.channel(), confirmFqid, options.taildrop()),
                "lsh_usdpaa_fm_create_tx_queue", "port=" + port + ", fqid=" + tx.txFqid() + ", channel=0x"
                        + Integer.toHexString(tx.channel()) + ", confirmFqid=" + confirmFqid);
        return tx.txFqid();
    }

    private UsdpaaTxPort txPort(int port) {
        UsdpaaTxPort tx = ports.get(port);
        if (tx == null) {
            throw new IllegalArgumentException("port " + port + " has no TX frame queue and channel from the board "
                    + "(known: " + ports.keySet() + ")");
        }
        return tx;
    }

    @Override
    public int createCongestionGroup(long thresholdBytes, boolean tailDrop) {
        throw unsupported("createCongestionGroup", NO_CONGESTION_GROUPS);
    }

    @Override
    public void destroyCongestionGroup(int group) {
        throw unsupported("destroyCongestionGroup", NO_CONGESTION_GROUPS);
    }

    @Override
    public CongestionState congestion(int group) {
        throw unsupported("congestion", NO_CONGESTION_GROUPS);
    }

    @Override
    public List<CongestionState> congestionChanges() {
        throw unsupported("congestionChanges", NO_CONGESTION_GROUPS);
    }

    @Override
    public void routeErrors(int port, int errorFqid) {
        throw unsupported("routeErrors", "the port's error queue is the device tree's and not drained yet");
    }

    @Override
    public void destroyQueue(int fqid) {
        throw unsupported("destroyQueue", "queues are retired only when the portal closes");
    }

    /** On the board the wire is the port's MAC: the target is unused, the port must be one of the board's. */
    @Override
    public void bindPort(int port, TxTarget target) {
        checkOpen();
        txPort(port);
    }

    @Override
    public void enablePort(int port, boolean enabled) {
        throw unsupported("enablePort", "the MAC is enabled by the kernel's FMan driver, not through the portal");
    }

    @Override
    public int enqueue(int txFqid, MemorySegment descriptors, int count) {
        checkOpen();
        SegmentCounts.check(descriptors, FrameDescriptor.BYTES, count, Integer.MAX_VALUE, "descriptors");
        return HalException.check(portal.enqueue(txFqid, descriptors, count), "lsh_usdpaa_fm_enqueue",
                "fqid=" + txFqid + ", count=" + count);
    }

    @Override
    public int dequeueConfirmations(int confirmFqid, Confirmations into) {
        checkOpen();
        if (confirmFqid != this.confirmFqid) {
            throw new IllegalArgumentException("fqid " + confirmFqid + " is not this portal's confirmation queue ("
                    + this.confirmFqid + ")");
        }
        int n = HalException.check(portal.dequeue(into.segment(), into.capacity()), "lsh_usdpaa_fm_dequeue",
                "max=" + into.capacity());
        into.delivered(n);
        return n;
    }

    @Override
    public int dequeueRejections(Rejections into) {
        checkOpen();
        int n = HalException.check(portal.messages(into.segment(), into.capacity()), "lsh_usdpaa_fm_messages",
                "max=" + into.capacity());
        into.delivered(n);
        return n;
    }

    @Override
    public int confirmNotifier(int confirmFqid, int threshold) {
        throw unsupported("confirmNotifier", "the portal interrupt is waited on in C (lsh_usdpaa_fm_wait), "
                + "no eventfd is offered yet");
    }

    @Override
    public boolean acknowledgeNotification(int confirmFqid) {
        throw unsupported("acknowledgeNotification", "no notifier is offered yet (see confirmNotifier)");
    }

    @Override
    public boolean drain(Duration timeout) {
        throw unsupported("drain", "the FQs' frame counts (QUERYFQ_NP) are not in the usdpaa C API yet");
    }

    @Override
    public int createPool(int capacity) {
        throw unsupported("createPool", "the portal has the one pool its open seeded (pool())");
    }

    @Override
    public void destroyPool(int bpid) {
        throw unsupported("destroyPool", "the pool is emptied and given back when the portal closes");
    }

    @Override
    public void release(int bpid, MemorySegment buffers, int count) {
        checkOpen();
        SegmentCounts.check(buffers, BmBuffer.BYTES, count, BmBuffer.BURST_MAX, "buffers");
        HalException.check(portal.release(bpid, buffers, count), "lsh_usdpaa_fm_release", "bpid=" + bpid
                + ", count=" + count);
    }

    @Override
    public boolean acquire(int bpid, MemorySegment buffers, int count) {
        checkOpen();
        SegmentCounts.check(buffers, BmBuffer.BYTES, count, BmBuffer.BURST_MAX, "buffers");
        int rc = portal.acquire(bpid, buffers, count);
        if (rc == -Errno.ENOMEM) {
            return false;
        }
        HalException.check(rc, "lsh_usdpaa_fm_acquire", "bpid=" + bpid + ", count=" + count);
        return true;
    }

    @Override
    public int poolCount(int bpid) {
        throw unsupported("poolCount", "the BMan pool query is not in the usdpaa C API yet");
    }

    @Override
    public DmaRegion registerDma(MemorySegment range, long[] pageFrameNumbers) {
        throw unsupported("registerDma", "file pages by physical address are not served yet; only the "
                + "kernel's DMA region is");
    }

    @Override
    public void unregisterDma(DmaRegion region) {
        throw unsupported("unregisterDma", "no region is registered (see registerDma)");
    }

    @Override
    public FrameCounters counters() {
        throw unsupported("counters", "FMan's port counters are not read yet");
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            portal.close();
        }
    }
}
