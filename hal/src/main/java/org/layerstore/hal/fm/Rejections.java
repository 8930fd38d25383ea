// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_qm_mr_entry;

/**
 * A reusable array that enqueue rejections are dequeued into: each entry is a QMan message ring entry
 * ({@code qm_mr_entry}, an ERN, 64 bytes, big-endian) with the descriptor untouched, the queue it was
 * enqueued to and the rejection code. Allocated in the caller's arena, which must outlive this object's
 * use; not thread-safe.
 */
public final class Rejections extends DequeuedEntries {

    /** The frame queue's congestion group was congested, with tail drop (QM_MR_RC_CGR_TAILDROP). */
    public static final int RC_CGR_TAILDROP = hal_h.LSH_MR_RC_CGR_TAILDROP();
    /** The frame queue was at its tail-drop threshold. */
    public static final int RC_FQ_TAILDROP = hal_h.LSH_MR_RC_FQ_TAILDROP();
    /** The enqueue could not be processed (a BPID naming no pool, an FCO naming no confirmation queue). */
    public static final int RC_ERROR = hal_h.LSH_MR_RC_ERROR();

    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int FQID_MASK = hal_h.LSH_QM_FQID_MASK();

    private Rejections(Arena arena, int capacity) {
        super(arena.allocate(lsh_qm_mr_entry.layout(), capacity), lsh_qm_mr_entry.layout().byteSize(),
                lsh_qm_mr_entry.fd$offset(), capacity);
    }

    /** Room for {@code capacity} rejections in {@code arena}. */
    public static Rejections allocate(Arena arena, int capacity) {
        return new Rejections(arena, checkCapacity(capacity));
    }

    /** The TX queue rejected entry {@code i} was enqueued to. */
    public int fqid(int i) {
        return entry(i).get(BE_INT, lsh_qm_mr_entry.fqid$offset()) & FQID_MASK;
    }

    /** The QMan rejection code ({@link #RC_CGR_TAILDROP}, {@link #RC_FQ_TAILDROP}, {@link #RC_ERROR}). */
    public int code(int i) {
        return Byte.toUnsignedInt(lsh_qm_mr_entry.rc(entry(i)));
    }
}
