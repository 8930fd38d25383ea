// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.relay;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One direction's counters: written by its forwarding thread, read by the thread that answers the test
 * (atomic, so a reading is never torn). {@link #line} and {@link #parse} are the relay's report format,
 * {@code received=120 forwarded=119 lost=1 ...}.
 */
public final class RelayCounters {

    private static final RelayCounter[] ALL = RelayCounter.values();

    private final AtomicLongArray values = new AtomicLongArray(ALL.length);

    void add(RelayCounter counter, long delta) {
        values.getAndAdd(counter.ordinal(), delta);
    }

    void increment(RelayCounter counter) {
        add(counter, 1);
    }

    public long get(RelayCounter counter) {
        return values.get(counter.ordinal());
    }

    /** Every counter as {@code key=value}, space-separated, in the enum's order. */
    public String line() {
        StringJoiner j = new StringJoiner(" ");
        for (RelayCounter c : ALL) {
            j.add(c.key() + "=" + get(c));
        }
        return j.toString();
    }

    /** The counters of a {@link #line}. */
    public static Map<RelayCounter, Long> parse(String line) {
        Map<RelayCounter, Long> counters = new EnumMap<>(RelayCounter.class);
        for (String pair : line.strip().split(" +")) {
            int eq = pair.indexOf('=');
            String key = pair.substring(0, eq);
            for (RelayCounter c : ALL) {
                if (c.key().equals(key)) {
                    counters.put(c, Long.parseLong(pair.substring(eq + 1)));
                }
            }
        }
        if (counters.size() != ALL.length) {
            throw new IllegalArgumentException("not a relay counter line: " + line);
        }
        return counters;
    }
}
