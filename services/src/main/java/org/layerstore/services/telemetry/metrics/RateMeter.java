// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Turns growing counters into per-second rates: the increase since the previous call divided by the
 * time elapsed. The first call for a key, and a counter that went backwards (a restarted engine),
 * give 0.
 */
public final class RateMeter {

    private record Reading(long value, long nanos) {
    }

    private final Map<String, Reading> previous = new HashMap<>();
    private final LongSupplier clock;

    public RateMeter() {
        this(System::nanoTime);
    }

    RateMeter(LongSupplier clock) {
        this.clock = clock;
    }

    /** The rate of {@code key} per second since the last call with the same key. */
    public synchronized double perSecond(String key, long counter) {
        long now = clock.getAsLong();
        Reading last = previous.put(key, new Reading(counter, now));
        if (last == null || counter < last.value() || now <= last.nanos()) {
            return 0.0;
        }
        return (counter - last.value()) * 1e9 / (now - last.nanos());
    }
}
