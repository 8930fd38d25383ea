// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;

/**
 * A DPAA1 frame-manager portal: QMan frame queues, FMan TX ports, BMan pools and the DMA regions the
 * hardware may read. Each method maps onto one USDPAA portal call (docs/hal.md has the table).
 * Failures throw {@link org.layerstore.hal.HalException} naming the call; flow-control outcomes
 * (a full ring, an empty pool) are return values.
 *
 * <p>Frame descriptors, S/G tables and BMan buffers live in memory the caller owns and builds with
 * {@link org.layerstore.hal.dpaa.FrameDescriptor}, {@link org.layerstore.hal.dpaa.SgEntry} and
 * {@link org.layerstore.hal.dpaa.BmBuffer}. Enqueue copies the descriptors; the frame data and S/G
 * tables they point to must stay registered until the frame's confirmation is dequeued.
 *
 * <p>A portal serves one thread at a time, like a QMan software portal affine to one core: open one per
 * thread, with no lock around it. With assertions on, the driver calls ({@link #enqueue},
 * {@link #dequeueConfirmations}, {@link #dequeueRejections}, {@link #congestionChanges}) fail with an
 * {@link AssertionError} when a second thread calls while another is inside. Close it only after every
 * other call on it has returned.
 */
public interface FrameManager extends AutoCloseable {

    /** The backend's name, e.g. {@code emulated}. */
    String backend();

    /** The limits the portal was opened with. */
    FrameManagerConfig config();

    /**
     * Creates a queue that TX confirmations (and TX errors) are delivered to; returns its FQID. Every
     * confirmation dequeued from it carries {@code contextB} (QMan's context_b: 32 bits, software's).
     */
    default int createConfirmQueue(int contextB) {
        return createConfirmQueue(contextB, TxQueueOptions.NO_GROUP);
    }

    /**
     * As {@link #createConfirmQueue(int)}, in congestion group {@code congestionGroup}
     * ({@link TxQueueOptions#NO_GROUP}: none), as QMan lets any queue be in one: the confirmations waiting in
     * the queue (not yet on the portal's dequeue ring) count their frames' lengths in the group. While the
     * group is congested with tail drop, FMan's confirmations to the queue are rejected and FMan discards
     * those frames, releasing their pool buffers (those it had not released already); software never sees
     * them, and {@link FrameCounters#cgrRejections()} counts them.
     */
    int createConfirmQueue(int contextB, int congestionGroup);

    /**
     * Creates a queue that an RX port delivers received frames to ({@link #receiveOn}); returns its FQID.
     * It is dequeued and notified exactly like a confirmation queue ({@link #dequeueConfirmations},
     * {@link #confirmNotifier}), through the same portal ring; every entry carries {@code contextB}.
     */
    int createReceiveQueue(int contextB);

    /**
     * Turns on the receive path of {@code port}, which must be bound to a network interface
     * ({@link TxTarget#networkInterface}): every frame arriving there is written into a buffer of
     * {@code rx.bpid()} with its parse results and its descriptor goes to {@code rx.rxFqid()}; software
     * releases each buffer to the pool once it is done with the frame. Null turns receiving off.
     */
    void receiveOn(int port, ReceivePort rx);

    /**
     * Creates a TX queue whose frames FMan port {@code port} transmits; confirmations go to
     * {@code confirmFqid} (0: none, unless a descriptor asks with FCO). Returns the FQID.
     */
    default int createTxQueue(int port, int confirmFqid) {
        return createTxQueue(port, confirmFqid, TxQueueOptions.NONE);
    }

    /**
     * As {@link #createTxQueue(int, int)}, with QMan tail drop: a frame enqueued while the queue holds
     * {@code taildrop} frames (0: no tail drop) is rejected ({@link Rejections#RC_FQ_TAILDROP}).
     */
    default int createTxQueue(int port, int confirmFqid, int taildrop) {
        return createTxQueue(port, confirmFqid, TxQueueOptions.NONE.withTaildrop(taildrop));
    }

    /** As {@link #createTxQueue(int, int)}, with the descriptor fields of {@code options}. */
    int createTxQueue(int port, int confirmFqid, TxQueueOptions options);

    /**
     * Creates a QMan congestion group (as dpaa_eth's egress CGR): it counts the bytes of the frames queued
     * on its queues (TX queues, and confirmation queues, {@link #createConfirmQueue(int, int)}) and is congested while that count exceeds {@code thresholdBytes} (rounded up to what
     * QMan's threshold word can say). With {@code tailDrop}, frames enqueued while it is congested are
     * rejected ({@link Rejections#RC_CGR_TAILDROP}); every state change is reported by
     * {@link #congestionChanges} and wakes the notifiers of its queues' confirmation queues. Returns its id.
     */
    int createCongestionGroup(long thresholdBytes, boolean tailDrop);

    /** Destroys a congestion group that no queue is in. */
    void destroyCongestionGroup(int group);

    /** A congestion group's state now (QMan's Query CGR). */
    CongestionState congestion(int group);

    /**
     * The congestion state changes since the last call (the portal's CSCI interrupt): for each group whose
     * state differs from what this portal last reported, its new state; empty when none changed.
     */
    List<CongestionState> congestionChanges();

    /**
     * Routes the frames TX port {@code port} could not send (a status in
     * {@code FrameDescriptor.STATUS_TX_ERRORS}) to confirmation queue {@code errorFqid}, whatever their
     * confirmation queue, as FMan does with a port's error queue; the hardware releases none of them
     * to a pool. 0 routes them back to their confirmation queue.
     */
    void routeErrors(int port, int errorFqid);

    /** Destroys an empty queue (an {@code EBUSY} failure while frames or confirmations are queued). */
    void destroyQueue(int fqid);

    /** Binds a TX port to its transmit target and enables it. */
    void bindPort(int port, TxTarget target);

    /** Enables or disables a bound TX port; a disabled port leaves its frames queued. */
    void enablePort(int port, boolean enabled);

    /**
     * Enqueues descriptors {@code 0..count-1} of {@code descriptors} to a TX queue, in order, and returns
     * how many the ring took; 0 means the ring is full (busy): dequeue confirmations and retry.
     */
    int enqueue(int txFqid, MemorySegment descriptors, int count);

    /**
     * Dequeues up to {@code into.capacity()} confirmations of a confirmation queue, or received frames of
     * a receive queue; returns how many (0: none yet).
     */
    int dequeueConfirmations(int confirmFqid, Confirmations into);

    /** Dequeues up to {@code into.capacity()} enqueue rejections; returns how many. */
    int dequeueRejections(Rejections into);

    /**
     * The descriptor that becomes readable when confirmations wait in queue {@code confirmFqid}, or an
     * enqueue of one of its TX queues is rejected (on the board: the QMan portal's interrupt), so a
     * consumer can wait in poll or epoll instead of polling the queue. Confirmations are coalesced: it
     * becomes readable once {@code threshold} of them (1 to the queue's depth) wait, or fewer when the TX
     * queue they came from has nothing more queued. It stays readable until
     * {@link #acknowledgeNotification}; acknowledge first, then dequeue confirmations and rejections until
     * none are left, so no entry goes unnoticed. The portal owns the descriptor and closes it with the
     * queue (take it out of any epoll set before destroying the queue); every call returns the same one
     * and sets the threshold.
     */
    int confirmNotifier(int confirmFqid, int threshold);

    /**
     * Clears the notifier of {@code confirmFqid} and re-arms it for the next entry; true when a
     * notification was pending.
     */
    boolean acknowledgeNotification(int confirmFqid);

    /** Waits until the hardware has nothing left it can transmit; false when the timeout passed first. */
    boolean drain(Duration timeout);

    /** Creates a BMan pool able to hold {@code capacity} buffers; returns its BPID. */
    int createPool(int capacity);

    void destroyPool(int bpid);

    /** Releases buffers {@code 0..count-1} (1 to 8) of {@code buffers} to a pool. */
    void release(int bpid, MemorySegment buffers, int count);

    /**
     * Acquires exactly {@code count} (1 to 8) buffers into {@code buffers}; false (nothing acquired) when
     * the pool holds fewer.
     */
    boolean acquire(int bpid, MemorySegment buffers, int count);

    /** How many buffers a pool holds. */
    int poolCount(int bpid);

    /**
     * Registers a page-aligned range for DMA. In physical mode ({@code config().smmu()} false)
     * {@code pageFrameNumbers} gives the frame of every page (from /proc/self/pagemap, pages pinned);
     * in SMMU mode it must be null and the portal assigns a contiguous bus range.
     */
    DmaRegion registerDma(MemorySegment range, long[] pageFrameNumbers);

    /** Unregisters a region; frames still in flight that point into it complete with a DMA error. */
    void unregisterDma(DmaRegion region);

    FrameCounters counters();

    /** Closes the portal: stops the hardware and drops frames still queued. */
    @Override
    void close();
}
