package org.layerstore.hal.fm;

import java.lang.foreign.Arena;

import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_fm_rejection;

/**
 * A reusable array that enqueue rejections (QMan ERNs) are dequeued into: the descriptor comes back
 * untouched with the queue it was enqueued to and the rejection code. Allocated in the caller's arena,
 * which must outlive this object's use; not thread-safe.
 */
public final class Rejections extends DequeuedEntries {

    /** The enqueue could not be processed (a BPID naming no pool, an FCO naming no confirmation queue). */
    public static final int RC_ERROR = hal_h.LSH_MR_RC_ERROR();

    private Rejections(Arena arena, int capacity) {
        super(arena.allocate(lsh_fm_rejection.layout(), capacity), lsh_fm_rejection.layout().byteSize(),
                lsh_fm_rejection.fd$offset(), capacity);
    }

    /** Room for {@code capacity} rejections in {@code arena}. */
    public static Rejections allocate(Arena arena, int capacity) {
        return new Rejections(arena, checkCapacity(capacity));
    }

    /** The TX queue rejected entry {@code i} was enqueued to. */
    public int fqid(int i) {
        return lsh_fm_rejection.fqid(entry(i));
    }

    /** The QMan rejection code ({@link #RC_ERROR}, ...). */
    public int code(int i) {
        return Byte.toUnsignedInt(lsh_fm_rejection.rc(entry(i)));
    }
}
