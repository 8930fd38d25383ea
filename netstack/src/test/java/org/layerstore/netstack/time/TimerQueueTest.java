// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerstore.netstack.testing.ManualClock;

class TimerQueueTest {

    private final ManualClock clock = new ManualClock();
    private final TimerQueue timers = new TimerQueue(clock);
    private final List<String> fired = new ArrayList<>();

    @Test
    void timersRunInDeadlineOrderWhenDue() {
        TimerQueue.Timer a = timers.newTimer(() -> fired.add("a"));
        TimerQueue.Timer b = timers.newTimer(() -> fired.add("b"));
        a.armIn(ms(20));
        b.armIn(ms(10));
        clock.advance(Duration.ofMillis(9));
        assertEquals(0, timers.runDue());
        clock.advance(Duration.ofMillis(11));
        assertEquals(2, timers.runDue());
        assertEquals(List.of("b", "a"), fired);
    }

    @Test
    void reArmingLaterMovesTheDeadlineAndEarlierToo() {
        TimerQueue.Timer t = timers.newTimer(() -> fired.add("t"));
        t.armIn(ms(10));
        t.armIn(ms(30));
        clock.advance(Duration.ofMillis(10));
        timers.runDue();
        assertEquals(List.of(), fired, "the old deadline passed without firing");
        assertEquals(ms(20), timers.nanosToNext());
        t.armIn(ms(5));
        clock.advance(Duration.ofMillis(5));
        timers.runDue();
        assertEquals(List.of("t"), fired);
        clock.advance(Duration.ofMillis(100));
        timers.runDue();
        assertEquals(List.of("t"), fired, "one shot");
    }

    @Test
    void cancelledTimerDoesNotRun() {
        TimerQueue.Timer t = timers.newTimer(() -> fired.add("t"));
        t.armIn(ms(1));
        t.cancel();
        assertFalse(t.armed());
        clock.advance(Duration.ofMillis(5));
        timers.runDue();
        assertEquals(List.of(), fired);
    }

    @Test
    void aTimerMayReArmItselfWhileRunning() {
        TimerQueue.Timer[] t = new TimerQueue.Timer[1];
        t[0] = timers.newTimer(() -> {
            fired.add("tick");
            t[0].armIn(ms(10));
        });
        t[0].armIn(ms(10));
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMillis(10));
            timers.runDue();
        }
        assertEquals(3, fired.size());
    }

    private static long ms(long n) {
        return Duration.ofMillis(n).toNanos();
    }
}
