// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.relay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * One direction's schedule: decides from a seeded generator what becomes of each frame offered (lost,
 * duplicated, corrupted, held back) and when each copy is due, and hands the copies out in their order.
 * It never touches the frame's bytes: a copy names the bit to flip, the caller flips it while sending.
 *
 * <p>Deterministic: every frame takes the same seven draws, so the fate of the n-th frame depends on the
 * seed and n only, whatever the timing. Delay keeps the order (a copy is never due before the copy ahead
 * of it, as netem with a FIFO child): only {@link Impairment#reorder} reorders.
 *
 * <p>Not thread-safe: one forwarding thread owns it; {@link #impairment} may be replaced from another.
 *
 * @param <F> the caller's frame (a buffer); a duplicated frame is handed out twice
 */
final class ImpairedQueue<F> {

    /** A copy to send: {@code frame}, with bit {@code corruptBit} of byte {@code corruptAt} flipped when it is >= 0. */
    record Copy<F>(F frame, int corruptAt, int corruptBit) {
        boolean corrupted() {
            return corruptAt >= 0;
        }
    }

    private static final class Entry<F> {
        final Copy<F> copy;
        final long due;
        /** Only for a held-back copy: the latest time it waits, and how many copies must still pass it. */
        final long heldUntil;
        int framesToPass;

        Entry(Copy<F> copy, long due, long heldUntil, int framesToPass) {
            this.copy = copy;
            this.due = due;
            this.heldUntil = heldUntil;
            this.framesToPass = framesToPass;
        }
    }

    private final Random random;
    private final RelayCounters counters;
    private final ArrayDeque<Entry<F>> inOrder = new ArrayDeque<>();
    private final List<Entry<F>> heldBack = new ArrayList<>();
    private volatile Impairment impairment = Impairment.NONE;
    private long lastDue = Long.MIN_VALUE;

    ImpairedQueue(long seed, RelayCounters counters) {
        this.random = new Random(seed);
        this.counters = counters;
    }

    void impairment(Impairment i) {
        impairment = i;
    }

    Impairment impairment() {
        return impairment;
    }

    /**
     * Decides the fate of {@code frame}, which arrived at {@code now} (nanoseconds) and whose bytes
     * {@code [corruptFrom, corruptTo)} may be corrupted (an empty range: never). Returns how many copies
     * were queued: 0 (lost or overflowed), 1, or 2 (duplicated); the caller keeps the frame until it has
     * sent that many.
     */
    int offer(F frame, int corruptFrom, int corruptTo, long now) {
        Impairment imp = impairment;
        double lose = random.nextDouble();
        double duplicate = random.nextDouble();
        double corrupt = random.nextDouble();
        double corruptPlace = random.nextDouble();
        int corruptBit = random.nextInt(8);
        double reorder = random.nextDouble();
        double jitter = random.nextDouble() * 2 - 1;
        counters.increment(RelayCounter.RECEIVED);
        if (lose < imp.loss()) {
            counters.increment(RelayCounter.LOST);
            return 0;
        }
        int copies = duplicate < imp.duplicate() ? 2 : 1;
        if (inOrder.size() + heldBack.size() + copies > imp.limit()) {
            counters.increment(RelayCounter.OVERFLOWED);
            return 0;
        }
        int corruptAt = -1;
        if (corrupt < imp.corrupt() && corruptTo > corruptFrom) {
            corruptAt = corruptFrom + (int) (corruptPlace * (corruptTo - corruptFrom));
            counters.increment(RelayCounter.CORRUPTED);
        }
        long due = Math.max(now + imp.delayNanos() + Math.round(jitter * imp.jitterNanos()), now);
        Copy<F> first = new Copy<>(frame, corruptAt, corruptAt >= 0 ? corruptBit : -1);
        if (reorder < imp.reorder()) {
            heldBack.add(new Entry<>(first, due, due + imp.holdNanos(), imp.gap()));
            counters.increment(RelayCounter.REORDERED);
        } else {
            queueInOrder(first, due);
        }
        if (copies == 2) {
            queueInOrder(new Copy<>(frame, -1, -1), due);
            counters.increment(RelayCounter.DUPLICATED);
        }
        return copies;
    }

    private void queueInOrder(Copy<F> copy, long due) {
        lastDue = Math.max(due, lastDue);
        inOrder.add(new Entry<>(copy, lastDue, 0, 0));
    }

    /** The next copy to send at {@code now}, or null when none is due yet. */
    Copy<F> poll(long now) {
        for (Iterator<Entry<F>> it = heldBack.iterator(); it.hasNext();) {
            Entry<F> e = it.next();
            if (e.framesToPass <= 0 || now >= e.heldUntil) {
                it.remove();
                return e.copy;
            }
        }
        Entry<F> head = inOrder.peek();
        if (head == null || head.due > now) {
            return null;
        }
        inOrder.remove();
        for (Entry<F> e : heldBack) {
            if (now >= e.due) {
                e.framesToPass--;
            }
        }
        return head.copy;
    }

    /** When the next copy is due (nanoseconds, on the clock of {@code now}), or {@link Long#MAX_VALUE} when the queue is empty. */
    long nextDue() {
        long next = Long.MAX_VALUE;
        Entry<F> head = inOrder.peek();
        if (head != null) {
            next = head.due;
        }
        for (Entry<F> e : heldBack) {
            next = Math.min(next, e.framesToPass <= 0 ? e.due : e.heldUntil);
        }
        return next;
    }

    /** Copies queued and not yet handed out. */
    int size() {
        return inOrder.size() + heldBack.size();
    }
}
