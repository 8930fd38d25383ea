package org.layerstore.hal.fm;

import java.lang.foreign.Arena;

import org.layerstore.hal.bindings.hal.lsh_fm_dq_entry;

/**
 * A reusable array that TX confirmations are dequeued into: each entry is a descriptor as it was
 * enqueued, with its status word in place of the command, plus the queues it went through.
 * Allocated in the caller's arena, which must outlive this object's use; not thread-safe.
 */
public final class Confirmations extends DequeuedEntries {

    private Confirmations(Arena arena, int capacity) {
        super(arena.allocate(lsh_fm_dq_entry.layout(), capacity), lsh_fm_dq_entry.layout().byteSize(),
                lsh_fm_dq_entry.fd$offset(), capacity);
    }

    /** Room for {@code capacity} confirmations in {@code arena}. */
    public static Confirmations allocate(Arena arena, int capacity) {
        return new Confirmations(arena, checkCapacity(capacity));
    }

    /** The confirmation queue entry {@code i} came from. */
    public int fqid(int i) {
        return lsh_fm_dq_entry.fqid(entry(i));
    }

    /** The TX queue frame {@code i} was enqueued to. */
    public int txFqid(int i) {
        return lsh_fm_dq_entry.tx_fqid(entry(i));
    }

    /** The confirmation queue's context_b, as given when it was created. */
    public long contextB(int i) {
        return lsh_fm_dq_entry.context_b(entry(i));
    }

    /** The status word of frame {@code i}: 0 or {@code FrameDescriptor.STATUS_*} bits. */
    public int status(int i) {
        return descriptor(i).status();
    }
}
