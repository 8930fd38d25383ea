// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class EventRateLimiterTest {

    @Test
    void shouldLetABurstThroughThenCountTheRestIntoTheNextWindowsFirstEvent() {
        AtomicLong now = new AtomicLong(1_000);
        EventRateLimiter limiter = new EventRateLimiter(3, 60_000, now::get);
        for (int i = 0; i < 3; i++) {
            assertEquals(new EventRateLimiter.Decision(true, 0), limiter.next());
        }
        for (int i = 1; i <= 4; i++) {
            assertEquals(new EventRateLimiter.Decision(false, i), limiter.next());
        }
        now.addAndGet(60_000);
        assertEquals(new EventRateLimiter.Decision(true, 4), limiter.next());
        assertEquals(new EventRateLimiter.Decision(true, 0), limiter.next());
    }
}
