// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.layerstore.hal.HalException;
import org.layerstore.hal.HalLibrary;
import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_cgr_params;
import org.layerstore.hal.bindings.hal.lsh_cgr_state;
import org.layerstore.hal.bindings.hal.lsh_fm_config;
import org.layerstore.hal.bindings.hal.lsh_fm_counters;
import org.layerstore.hal.bindings.hal.lsh_fq_params;
import org.layerstore.hal.bindings.hal.lsh_rx_port;
import org.layerstore.hal.bindings.hal.lsh_tx_target;
import org.layerstore.hal.dpaa.BmBuffer;
import org.layerstore.hal.dpaa.FrameDescriptor;
import org.layerstore.hal.bindings.libc.iovec;
import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.Libc;

/**
 * The emulated DPAA1 frame manager in liblayerstore-hal: a portal whose "hardware" is a native thread
 * that checks every format rule, reads frame data through the registered DMA regions only (with
 * process_vm_readv, so a vanished page is a DMA error, never a crash) and puts frames on a Linux
 * interface, a pcap file and/or a TCP socket; a second native thread receives a port's interface into
 * BMan buffers (process_vm_writev) and its RX queue.
 *
 * <p>Arenas: the portal handle is native memory owned by the library from {@link #open} to
 * {@link #close}; out-parameters of each call live in a confined arena closed before the call returns.
 * Descriptor, buffer and confirmation arrays belong to the caller.
 */
public final class EmulatedFrameManager implements FrameManager {

    public static final String NAME = "emulated";
    /** Congestion state changes taken per call: every group there can be. */
    private static final int CONGESTION_BATCH = 256;

    private final MemorySegment portal;
    private final FrameManagerConfig config;
    private final OneThreadAtATime driver = new OneThreadAtATime();
    private boolean closed;

    private EmulatedFrameManager(MemorySegment portal, FrameManagerConfig config) {
        this.portal = portal;
        this.config = config;
    }

    /** Whether the emulated backend can run here: the library loads and process_vm_readv works. */
    public static BackendAvailability availability() {
        if (!HalLibrary.isAvailable()) {
            return BackendAvailability.no(NAME, "the HAL native library is not usable: "
                    + HalLibrary.unavailabilityCause().getMessage());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = arena.allocateFrom(ValueLayout.JAVA_LONG, 0x5a5a5a5aL);
            MemorySegment target = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment local = ioVector(arena, target);
            MemorySegment remote = ioVector(arena, source);
            Libc.processVmReadv(libc_h.getpid(), local, 1, remote, 1);
            if (target.get(ValueLayout.JAVA_LONG, 0) != 0x5a5a5a5aL) {
                return BackendAvailability.no(NAME, "process_vm_readv on this process copied the wrong bytes");
            }
        } catch (RuntimeException e) {
            return BackendAvailability.no(NAME, "the emulated DMA engine needs process_vm_readv on its own process: "
                    + e.getMessage());
        }
        return BackendAvailability.yes(NAME, "liblayerstore-hal ABI " + HalLibrary.abiVersion()
                + " loaded; DMA reads through process_vm_readv work");
    }

    /** Opens a portal with {@code config}. */
    public static EmulatedFrameManager open(FrameManagerConfig config) {
        HalLibrary.ensureAvailable();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment c = lsh_fm_config.allocate(call);
            lsh_fm_config.max_frame_size(c, config.maxFrameSize());
            lsh_fm_config.ring_depth(c, config.ringDepth());
            lsh_fm_config.dequeue_depth(c, config.dequeueDepth());
            lsh_fm_config.a050385(c, config.a050385() ? 1 : 0);
            lsh_fm_config.smmu(c, config.smmu() ? 1 : 0);
            lsh_fm_config.port_count(c, config.ports().size());
            MemorySegment ports = lsh_fm_config.ports(c);
            for (int i = 0; i < config.ports().size(); i++) {
                ports.setAtIndex(ValueLayout.JAVA_INT, i, config.ports().get(i));
            }
            MemorySegment out = call.allocate(ValueLayout.ADDRESS);
            HalException.check(hal_h.lsh_fm_open(c, out), "lsh_fm_open", config.toString());
            return new EmulatedFrameManager(out.get(ValueLayout.ADDRESS, 0), config);
        }
    }

    @Override
    public String backend() {
        return hal_h.lsh_fm_backend(portal).reinterpret(64).getString(0);
    }

    @Override
    public FrameManagerConfig config() {
        return config;
    }

    @Override
    public int createConfirmQueue(int contextB, int congestionGroup) {
        return createQueue(hal_h.LSH_FQ_CONFIRM(), 0, 0, contextB, TxQueueOptions.NONE.inCongestionGroup(congestionGroup),
                "kind=CONFIRM, contextB=" + contextB
                        + (congestionGroup == TxQueueOptions.NO_GROUP ? "" : ", cgr=" + congestionGroup));
    }

    @Override
    public int createReceiveQueue(int contextB) {
        return createQueue(hal_h.LSH_FQ_RX(), 0, 0, contextB, "kind=RX, contextB=" + contextB);
    }

    @Override
    public void receiveOn(int port, ReceivePort rx) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment r = lsh_rx_port.allocate(call);
            if (rx != null) {
                lsh_rx_port.rx_fqid(r, rx.rxFqid());
                lsh_rx_port.bpid(r, rx.bpid());
                lsh_rx_port.buffer_size(r, rx.bufferSize());
                lsh_rx_port.data_offset(r, rx.dataOffset());
            }
            HalException.check(hal_h.lsh_fm_port_rx(portal(), port, r), "lsh_fm_port_rx", "port=" + port + ", " + rx);
        }
    }

    @Override
    public int createTxQueue(int port, int confirmFqid, TxQueueOptions options) {
        return createQueue(hal_h.LSH_FQ_TX(), port, confirmFqid, 0, options, "kind=TX, port=" + port
                + ", confirmFqid=" + confirmFqid + ", taildrop=" + options.taildrop()
                + (options.congestionGroup() == TxQueueOptions.NO_GROUP ? "" : ", cgr=" + options.congestionGroup())
                + (options.contextA() == 0 ? "" : ", contextA=0x" + Long.toHexString(options.contextA())));
    }

    private int createQueue(int kind, int port, int confirmFqid, int contextB, String arguments) {
        return createQueue(kind, port, confirmFqid, contextB, TxQueueOptions.NONE, arguments);
    }

    private int createQueue(int kind, int port, int confirmFqid, int contextB, TxQueueOptions options,
            String arguments) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment p = lsh_fq_params.allocate(call);
            lsh_fq_params.kind(p, kind);
            lsh_fq_params.port(p, port);
            lsh_fq_params.confirm_fqid(p, confirmFqid);
            lsh_fq_params.context_b(p, contextB);
            lsh_fq_params.taildrop(p, options.taildrop());
            lsh_fq_params.cgr(p, options.congestionGroup() == TxQueueOptions.NO_GROUP ? 0
                    : hal_h.LSH_FQ_CGE() | options.congestionGroup());
            lsh_fq_params.context_a(p, options.contextA());
            MemorySegment fqid = call.allocate(ValueLayout.JAVA_INT);
            HalException.check(hal_h.lsh_fm_fq_create(portal(), p, fqid), "lsh_fm_fq_create", arguments);
            return fqid.get(ValueLayout.JAVA_INT, 0);
        }
    }

    @Override
    public int createCongestionGroup(long thresholdBytes, boolean tailDrop) {
        if (thresholdBytes < 1 || thresholdBytes > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("congestion threshold " + thresholdBytes + " bytes (1 to 2^32 - 1)");
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment p = lsh_cgr_params.allocate(call);
            lsh_cgr_params.threshold(p, (int) thresholdBytes);
            lsh_cgr_params.taildrop(p, tailDrop ? 1 : 0);
            lsh_cgr_params.notify(p, 1);
            MemorySegment id = call.allocate(ValueLayout.JAVA_INT);
            HalException.check(hal_h.lsh_fm_cgr_create(portal(), p, id), "lsh_fm_cgr_create", "threshold="
                    + thresholdBytes + ", taildrop=" + tailDrop);
            return id.get(ValueLayout.JAVA_INT, 0);
        }
    }

    @Override
    public void destroyCongestionGroup(int group) {
        HalException.check(hal_h.lsh_fm_cgr_destroy(portal(), group), "lsh_fm_cgr_destroy", "cgid=" + group);
    }

    @Override
    public CongestionState congestion(int group) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = lsh_cgr_state.allocate(call);
            HalException.check(hal_h.lsh_fm_cgr_query(portal(), group, state), "lsh_fm_cgr_query", "cgid=" + group);
            return stateOf(state);
        }
    }

    @Override
    public List<CongestionState> congestionChanges() {
        assert driver.enter();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment changes = lsh_cgr_state.allocateArray(CONGESTION_BATCH, call);
            int n = HalException.check(hal_h.lsh_fm_congestion(portal(), changes, CONGESTION_BATCH),
                    "lsh_fm_congestion", "max=" + CONGESTION_BATCH);
            List<CongestionState> states = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                states.add(stateOf(lsh_cgr_state.asSlice(changes, i)));
            }
            return states;
        } finally {
            assert driver.leave();
        }
    }

    private static CongestionState stateOf(MemorySegment state) {
        return new CongestionState(lsh_cgr_state.cgid(state), lsh_cgr_state.congested(state) != 0,
                lsh_cgr_state.bytes(state));
    }

    @Override
    public void routeErrors(int port, int errorFqid) {
        HalException.check(hal_h.lsh_fm_port_error_queue(portal(), port, errorFqid), "lsh_fm_port_error_queue",
                "port=" + port + ", fqid=" + errorFqid);
    }

    @Override
    public void destroyQueue(int fqid) {
        HalException.check(hal_h.lsh_fm_fq_destroy(portal(), fqid), "lsh_fm_fq_destroy", "fqid=" + fqid);
    }

    @Override
    public void bindPort(int port, TxTarget target) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment t = lsh_tx_target.allocate(call);
            lsh_tx_target.pcap_fd(t, target.pcapFd());
            if (target.networkInterface() != null) {
                MemorySegment name = lsh_tx_target.interface_(t);
                name.setString(0, target.networkInterface(), StandardCharsets.US_ASCII);
            }
            HalException.check(hal_h.lsh_fm_port_bind(portal(), port, t), "lsh_fm_port_bind", "port=" + port + ", "
                    + target);
        }
    }

    @Override
    public void enablePort(int port, boolean enabled) {
        HalException.check(hal_h.lsh_fm_port_enable(portal(), port, enabled ? 1 : 0), "lsh_fm_port_enable", "port="
                + port + ", enabled=" + enabled);
    }

    @Override
    public int enqueue(int txFqid, MemorySegment descriptors, int count) {
        SegmentCounts.check(descriptors, FrameDescriptor.BYTES, count, Integer.MAX_VALUE, "descriptors");
        assert driver.enter();
        try {
            int rc = hal_h.lsh_fm_enqueue(portal(), txFqid, descriptors, count);
            if (rc == -Errno.EBUSY) {
                return 0;
            }
            return HalException.check(rc, "lsh_fm_enqueue", "fqid=" + txFqid + ", count=" + count);
        } finally {
            assert driver.leave();
        }
    }

    @Override
    public int dequeueConfirmations(int confirmFqid, Confirmations into) {
        assert driver.enter();
        try {
            int n = HalException.check(hal_h.lsh_fm_dequeue(portal(), confirmFqid, into.segment(), into.capacity()),
                    "lsh_fm_dequeue", "fqid=" + confirmFqid + ", max=" + into.capacity());
            into.delivered(n);
            return n;
        } finally {
            assert driver.leave();
        }
    }

    @Override
    public int dequeueRejections(Rejections into) {
        assert driver.enter();
        try {
            int n = HalException.check(hal_h.lsh_fm_rejections(portal(), into.segment(), into.capacity()),
                    "lsh_fm_rejections", "max=" + into.capacity());
            into.delivered(n);
            return n;
        } finally {
            assert driver.leave();
        }
    }

    @Override
    public int confirmNotifier(int confirmFqid, int threshold) {
        return HalException.check(hal_h.lsh_fm_notifier(portal(), confirmFqid, threshold), "lsh_fm_notifier", "fqid="
                + confirmFqid + ", threshold=" + threshold);
    }

    @Override
    public boolean acknowledgeNotification(int confirmFqid) {
        return HalException.check(hal_h.lsh_fm_notify_ack(portal(), confirmFqid), "lsh_fm_notify_ack", "fqid="
                + confirmFqid) == 1;
    }

    @Override
    public boolean drain(Duration timeout) {
        int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
        int rc = hal_h.lsh_fm_drain(portal(), ms);
        if (rc == -Errno.ETIMEDOUT) {
            return false;
        }
        HalException.check(rc, "lsh_fm_drain", "timeoutMs=" + ms);
        return true;
    }

    @Override
    public int createPool(int capacity) {
        return HalException.check(hal_h.lsh_bm_pool_create(portal(), capacity), "lsh_bm_pool_create", "capacity="
                + capacity);
    }

    @Override
    public void destroyPool(int bpid) {
        HalException.check(hal_h.lsh_bm_pool_destroy(portal(), bpid), "lsh_bm_pool_destroy", "bpid=" + bpid);
    }

    @Override
    public void release(int bpid, MemorySegment buffers, int count) {
        SegmentCounts.check(buffers, BmBuffer.BYTES, count, BmBuffer.BURST_MAX, "buffers");
        HalException.check(hal_h.lsh_bm_release(portal(), bpid, buffers, count), "lsh_bm_release", "bpid=" + bpid
                + ", count=" + count);
    }

    @Override
    public boolean acquire(int bpid, MemorySegment buffers, int count) {
        SegmentCounts.check(buffers, BmBuffer.BYTES, count, BmBuffer.BURST_MAX, "buffers");
        int rc = hal_h.lsh_bm_acquire(portal(), bpid, buffers, count);
        if (rc == -Errno.ENOMEM) {
            return false;
        }
        HalException.check(rc, "lsh_bm_acquire", "bpid=" + bpid + ", count=" + count);
        return true;
    }

    @Override
    public int poolCount(int bpid) {
        return HalException.check(hal_h.lsh_bm_pool_count(portal(), bpid), "lsh_bm_pool_count", "bpid=" + bpid);
    }

    @Override
    public DmaRegion registerDma(MemorySegment range, long[] pageFrameNumbers) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment pfns = pageFrameNumbers == null ? MemorySegment.NULL
                    : call.allocateFrom(ValueLayout.JAVA_LONG, pageFrameNumbers);
            if (pageFrameNumbers != null && (long) pageFrameNumbers.length * Libc.pageSize() != range.byteSize()) {
                throw new IllegalArgumentException(pageFrameNumbers.length + " page frame numbers for a range of "
                        + range.byteSize() + " bytes");
            }
            MemorySegment id = call.allocate(ValueLayout.JAVA_INT);
            MemorySegment bus = call.allocate(ValueLayout.JAVA_LONG);
            HalException.check(hal_h.lsh_dma_register(portal(), range.address(), range.byteSize(), pfns, id, bus),
                    "lsh_dma_register", "address=0x" + Long.toHexString(range.address()) + ", length="
                            + range.byteSize() + ", pfns=" + (pageFrameNumbers == null ? "none (SMMU)"
                                    : pageFrameNumbers.length));
            return new DmaRegion(id.get(ValueLayout.JAVA_INT, 0), bus.get(ValueLayout.JAVA_LONG, 0), range);
        }
    }

    @Override
    public void unregisterDma(DmaRegion region) {
        HalException.check(hal_h.lsh_dma_unregister(portal(), region.id()), "lsh_dma_unregister", "region="
                + region.id());
    }

    @Override
    public FrameCounters counters() {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment c = lsh_fm_counters.allocate(call);
            HalException.check(hal_h.lsh_fm_counters(portal(), c), "lsh_fm_counters", "");
            return FrameCounters.of(c);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            HalException.check(hal_h.lsh_fm_close(portal), "lsh_fm_close", "");
        }
    }

    private MemorySegment portal() {
        if (closed) {
            throw new IllegalStateException("the frame-manager portal is closed");
        }
        return portal;
    }

    private static MemorySegment ioVector(Arena arena, MemorySegment target) {
        MemorySegment iov = iovec.allocate(arena);
        iovec.iov_base(iov, target);
        iovec.iov_len(iov, target.byteSize());
        return iov;
    }
}
