// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import org.layerstore.hal.bindings.hal.hal_h;

/**
 * How a TX queue is initialised beyond its port and confirmation queue: the fields of its QMan frame queue
 * descriptor that decide what rejects a frame (tail drop, congestion group) and what FMan does with a frame
 * it sent (context_a).
 *
 * @param taildrop        QMan tail drop: a frame enqueued while the queue holds this many frames is rejected
 *                        ({@link Rejections#RC_FQ_TAILDROP}); 0: none
 * @param congestionGroup the congestion group ({@link FrameManager#createCongestionGroup}) whose byte count the
 *                        queue's frames add to; {@link #NO_GROUP}: none
 * @param contextA        FMan's per-queue options ({@code CONTEXT_A_*}): 0, or e.g. {@link #fmanReleasesBuffers()}
 */
public record TxQueueOptions(int taildrop, int congestionGroup, long contextA) {

    public static final int NO_GROUP = -1;
    /** No tail drop, no congestion group, context_a 0. */
    public static final TxQueueOptions NONE = new TxQueueOptions(0, NO_GROUP, 0);
    /** context_a: confirm to the queue's confirmation queue (context_b) whatever a descriptor's FCO says. */
    public static final long CONTEXT_A_OVFQ = hal_h.LSH_QM_CTXA_OVFQ();
    /** context_a: the A2 field is valid. */
    public static final long CONTEXT_A_A2V = hal_h.LSH_QM_CTXA_A2V();
    /** context_a A2 EBD: FMan releases a sent frame's buffers that name a pool to BMan, confirmed or not. */
    public static final long CONTEXT_A_EBD = hal_h.LSH_QM_CTXA_A2_EBD();

    public TxQueueOptions {
        if (taildrop < 0 || congestionGroup < NO_GROUP || congestionGroup > 255) {
            throw new IllegalArgumentException("taildrop " + taildrop + ", congestion group " + congestionGroup);
        }
    }

    public TxQueueOptions withTaildrop(int frames) {
        return new TxQueueOptions(frames, congestionGroup, contextA);
    }

    public TxQueueOptions inCongestionGroup(int group) {
        return new TxQueueOptions(taildrop, group, contextA);
    }

    /**
     * FMan releases each sent frame's buffers that name a BMan pool (the descriptor's BPID, each S/G entry's)
     * to their pools, before it confirms the frame (A2V with EBD, as dpaa_eth's and DPDK's TX queues): software
     * frees only what names no pool (BPID 0xFF) and what an errored frame holds.
     */
    public TxQueueOptions fmanReleasesBuffers() {
        return new TxQueueOptions(taildrop, congestionGroup, contextA | CONTEXT_A_A2V | CONTEXT_A_EBD);
    }

    /** Whether FMan releases a sent frame's pool buffers ({@link #fmanReleasesBuffers()}). */
    public boolean releasedByFman() {
        return (contextA & CONTEXT_A_A2V) != 0 && (contextA & CONTEXT_A_EBD) != 0;
    }
}
