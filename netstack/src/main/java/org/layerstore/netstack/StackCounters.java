// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.layerstore.netstack.tcp.TcpState;

/**
 * The stack's counters. Written only by the event loop's thread (single writer, so a plain read-add-write
 * of an atomic slot is exact), read from any thread (telemetry, tests).
 */
public final class StackCounters {

    private final AtomicLongArray events = new AtomicLongArray(StackCounter.values().length);
    private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
    private final AtomicLongArray states = new AtomicLongArray(TcpState.values().length);
    private final AtomicLong pinnedBytes = new AtomicLong();

    public void count(StackCounter counter) {
        add(events, counter.ordinal(), 1);
    }

    /** Adds {@code amount} to a counter of bytes. */
    public void add(StackCounter counter, long amount) {
        add(events, counter.ordinal(), amount);
    }

    public void drop(DropReason reason) {
        add(drops, reason.ordinal(), 1);
    }

    /** A connection moved from {@code from} (null: new) to {@code to} (null: gone). */
    public void transition(TcpState from, TcpState to) {
        if (from != null) {
            add(states, from.ordinal(), -1);
        }
        if (to != null) {
            add(states, to.ordinal(), 1);
        }
    }

    /** Payload bytes held by send buffers changed by {@code delta}. */
    public void pinned(long delta) {
        pinnedBytes.set(pinnedBytes.get() + delta);
    }

    public long get(StackCounter counter) {
        return events.get(counter.ordinal());
    }

    public long dropped(DropReason reason) {
        return drops.get(reason.ordinal());
    }

    public long totalDrops() {
        long sum = 0;
        for (int i = 0; i < drops.length(); i++) {
            sum += drops.get(i);
        }
        return sum;
    }

    public long connections(TcpState state) {
        return states.get(state.ordinal());
    }

    /** Bytes of payload pieces the send buffers hold (pinned until the peer's ACK covers them). */
    public long pinnedBytes() {
        return pinnedBytes.get();
    }

    /** Every non-zero counter by name, for logs and telemetry. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (StackCounter c : StackCounter.values()) {
            putNonZero(out, c.name().toLowerCase(Locale.ROOT), get(c));
        }
        for (DropReason d : DropReason.values()) {
            putNonZero(out, "drop_" + d.name().toLowerCase(Locale.ROOT), dropped(d));
        }
        for (TcpState s : TcpState.values()) {
            putNonZero(out, "connections_" + s.name().toLowerCase(Locale.ROOT), connections(s));
        }
        out.put("pinned_bytes", pinnedBytes());
        return out;
    }

    private static void putNonZero(Map<String, Long> out, String name, long value) {
        if (value != 0) {
            out.put(name, value);
        }
    }

    private static void add(AtomicLongArray array, int index, long delta) {
        array.set(index, array.get(index) + delta);
    }
}
