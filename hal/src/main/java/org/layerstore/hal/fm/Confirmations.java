// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_qm_dqrr_entry;

/**
 * A reusable array that TX confirmations are dequeued into: each entry is a QMan dequeue response
 * ({@code qm_dqrr_entry}, 64 bytes, big-endian), carrying the descriptor as it was enqueued with its
 * status word in place of the command, the confirmation queue it came from and that queue's context_b.
 * Allocated in the caller's arena, which must outlive this object's use; not thread-safe.
 */
public final class Confirmations extends DequeuedEntries {

    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int FQID_MASK = hal_h.LSH_QM_FQID_MASK();

    private Confirmations(Arena arena, int capacity) {
        super(arena.allocate(lsh_qm_dqrr_entry.layout(), capacity), lsh_qm_dqrr_entry.layout().byteSize(),
                lsh_qm_dqrr_entry.fd$offset(), capacity);
    }

    /** Room for {@code capacity} confirmations in {@code arena}. */
    public static Confirmations allocate(Arena arena, int capacity) {
        return new Confirmations(arena, checkCapacity(capacity));
    }

    /** The confirmation queue entry {@code i} came from. */
    public int fqid(int i) {
        return entry(i).get(BE_INT, lsh_qm_dqrr_entry.fqid$offset()) & FQID_MASK;
    }

    /** The confirmation queue's context_b (32 bits on QMan), as given when it was created. */
    public int contextB(int i) {
        return entry(i).get(BE_INT, lsh_qm_dqrr_entry.context_b$offset());
    }

    /** The status word of frame {@code i}: 0 or {@code FrameDescriptor.STATUS_*} bits. */
    public int status(int i) {
        return descriptor(i).status();
    }
}
