// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.publish;

import java.util.function.LongSupplier;

/**
 * At most {@code burst} events per {@code windowMillis}; the events held back are counted and handed to
 * the next one let through, so that an operator sees "and 1,234 more" instead of nothing or a flood.
 */
final class EventRateLimiter {

    /** Whether to send this event, and how many were held back since the last one sent. */
    record Decision(boolean send, long suppressedBefore) {
    }

    private final int burst;
    private final long windowMillis;
    private final LongSupplier clockMillis;
    private long windowStart;
    private int sentInWindow;
    private long suppressed;

    EventRateLimiter(int burst, long windowMillis, LongSupplier clockMillis) {
        this.burst = burst;
        this.windowMillis = windowMillis;
        this.clockMillis = clockMillis;
        this.windowStart = clockMillis.getAsLong();
    }

    synchronized Decision next() {
        long now = clockMillis.getAsLong();
        if (now - windowStart >= windowMillis) {
            windowStart = now;
            sentInWindow = 0;
        }
        if (sentInWindow < burst) {
            sentInWindow++;
            long held = suppressed;
            suppressed = 0;
            return new Decision(true, held);
        }
        suppressed++;
        return new Decision(false, suppressed);
    }
}
